/** Options of one call into the page. */
export interface CallOptions {
  timeoutMs?: number;
}

/**
 * What a value becomes after the trip through the page: typed arrays stay typed arrays, an
 * ArrayBuffer arrives as a Uint8Array, everything else goes through JSON.
 */
export type Transferred<T> = T extends ArrayBuffer
  ? Uint8Array
  : T extends ArrayBufferView
    ? T
    : T extends object
      ? { [K in keyof T]: Transferred<T[K]> }
      : T;

/** A page function: the harness passes the page's GPUDevice first, then the caller's one argument. */
type PageFunction = (device: GPUDevice, ...args: any[]) => unknown;

/**
 * The exports of a page module (`foo.gpu.ts`) as Node sees them: each `(device, args) => result`
 * becomes `(args, options?) => Promise<result>`, so argument and result types are checked against
 * the module itself instead of a string naming the function.
 */
export type PageModule<M> = {
  [K in keyof M as M[K] extends PageFunction ? K : never]: M[K] extends (
    device: GPUDevice,
    ...args: infer P
  ) => infer R
    ? (...args: [...P, options?: CallOptions]) => Promise<Transferred<Awaited<R>>>
    : never;
};

type Caller = (exportName: string, args: unknown, options?: CallOptions) => Promise<unknown>;

/**
 * A proxy whose every property is a function calling that export in the page. `then` is left
 * undefined so that awaiting the proxy itself does not treat it as a promise.
 */
export function pageModuleProxy<M>(call: Caller): PageModule<M> {
  return new Proxy({} as PageModule<M>, {
    get(_target, name) {
      if (typeof name !== 'string' || name === 'then') return undefined;
      return (args?: unknown, options?: CallOptions) => call(name, args ?? {}, options);
    },
  });
}
