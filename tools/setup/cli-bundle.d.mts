export function currentCliBundle(dir?: string): string | undefined;
export function buildCliBundle(dir?: string): Promise<{ ms: number; dir: string }>;
