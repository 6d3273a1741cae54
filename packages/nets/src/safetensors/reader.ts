import { DTYPE_SIZES, isFloatDtype, toFloat32 } from './dtypes.ts';
import { parseHeader, SafetensorsError, type TensorEntry } from './header.ts';

/**
 * A parsed safetensors file over the caller's bytes. Nothing is copied at parse time: `bytes(name)` is
 * a view into the file, and `float32(name)` converts one tensor when asked (an aligned F32 tensor is
 * itself a view), so a large checkpoint is held in memory once.
 */
export class SafetensorsFile {
  readonly metadata: Record<string, string>;
  private readonly entries = new Map<string, TensorEntry>();
  private readonly dataStart: number;

  private constructor(
    readonly file: string,
    private readonly data: Uint8Array,
  ) {
    const header = parseHeader(data, data.byteLength, file);
    this.metadata = header.metadata;
    this.dataStart = header.dataStart;
    for (const e of header.entries) this.entries.set(e.name, e);
  }

  /** Parses and validates `bytes` (the whole file); `file` names it in error messages. */
  static parse(bytes: Uint8Array | ArrayBuffer, file = 'safetensors'): SafetensorsFile {
    return new SafetensorsFile(file, bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  }

  /** Tensor names in header order. */
  get names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  info(name: string): TensorEntry {
    const e = this.entries.get(name);
    if (!e) throw new SafetensorsError(`${this.file}: no tensor "${name}"`);
    return e;
  }

  /** The tensor's raw little-endian bytes, a view into the file. */
  bytes(name: string): Uint8Array {
    const e = this.info(name);
    return this.data.subarray(this.dataStart + e.begin, this.dataStart + e.end);
  }

  /** The tensor as float32 (F32, F16 or BF16 in the file). */
  float32(name: string): Float32Array {
    const e = this.info(name);
    if (!isFloatDtype(e.dtype))
      throw new SafetensorsError(
        `${this.file}: tensor "${name}" is ${e.dtype}, not a float tensor (F32, F16, BF16)`,
      );
    return toFloat32(this.bytes(name), e.dtype, (e.end - e.begin) / DTYPE_SIZES[e.dtype]);
  }
}
