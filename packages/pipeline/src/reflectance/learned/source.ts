/** Where weight files come from: a URL base (fetch) or, in Node, a directory. */
export interface WeightSource {
  /** For messages: the directory or URL. */
  readonly location: string;
  read(file: string, signal?: AbortSignal): Promise<Uint8Array>;
}

export function fetchWeightSource(base: string | URL, fetchFn: typeof fetch = fetch): WeightSource {
  const root = new URL(
    String(base).endsWith('/') ? String(base) : `${String(base)}/`,
    globalThis.location?.href,
  );
  return {
    location: root.href,
    async read(file, signal) {
      const url = new URL(file, root);
      const res = await fetchFn(url, { signal });
      if (!res.ok) throw new Error(`${url.href}: HTTP ${res.status} ${res.statusText}`);
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}

/** Files held in memory by name (an unpacked archive, test fixtures); `location` names them in messages. */
export function memoryWeightSource(location: string, files: Record<string, Uint8Array>): WeightSource {
  return {
    location,
    async read(file) {
      const bytes = files[file];
      if (!bytes) throw new Error(`${location}/${file}: no such file`);
      return bytes;
    },
  };
}

/** Node only: files of a local directory (node:fs is imported on first use, never in a browser). */
export function directoryWeightSource(dir: string): WeightSource {
  return {
    location: dir,
    async read(file) {
      const fs = 'node:fs/promises';
      const path = 'node:path';
      const { readFile } = (await import(/* @vite-ignore */ fs)) as typeof import('node:fs/promises');
      const { join } = (await import(/* @vite-ignore */ path)) as typeof import('node:path');
      const full = join(dir, file);
      try {
        const buf = await readFile(full);
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (e) {
        throw new Error(
          `${full}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
          { cause: e },
        );
      }
    },
  };
}

/** A string is a URL in a browser or when it has a scheme; otherwise a directory (Node). */
export function resolveWeightSource(source: string | URL | WeightSource): WeightSource {
  if (typeof source === 'object' && 'read' in source) return source;
  const s = String(source);
  const browser = typeof document !== 'undefined';
  return browser || /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? fetchWeightSource(s) : directoryWeightSource(s);
}
