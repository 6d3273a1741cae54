/** An error raised before dispatch: names the op, what was wrong, and the shapes or limit involved. */
export class KernelError extends Error {
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = 'KernelError';
  }
}

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
