import { createReadStream, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Plugin, ViteDevServer } from 'vite';
import { workspaceAliases } from './workspace.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Byte blobs exchanged with the page over HTTP: far cheaper than JSON through the DevTools protocol. */
export class BlobStore {
  private blobs = new Map<string, Uint8Array>();
  private next = 0;
  /** Local directories the page may read, by URL token. */
  readonly directories = new Map<string, string>();
  /** Stores bytes for the page to fetch; returns their id. */
  put(bytes: Uint8Array): string {
    const id = `n${this.next++}`;
    this.blobs.set(id, bytes);
    return id;
  }
  set(id: string, bytes: Uint8Array): void {
    this.blobs.set(id, bytes);
  }
  take(id: string): Uint8Array {
    const b = this.blobs.get(id);
    if (!b) throw new Error(`harness: no blob "${id}"`);
    this.blobs.delete(id);
    return b;
  }
  clear(): void {
    this.blobs.clear();
  }
}

type Next = () => void;

/**
 * GET /__harness/blob/<id> hands a blob to the page (once); PUT stores one the page made.
 * GET /__harness/dir/<token>/<path> reads a file of a directory Node shared (a user's weights).
 * Plain Node handlers, so that the dev server and the static server of a built page share them.
 */
function harnessRoutes(store: BlobStore): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  const dirRoute = (url: string, res: ServerResponse, next: Next) => {
    const [token, ...rest] = decodeURIComponent(url.split('?')[0]).replace(/^\//, '').split('/');
    const dir = store.directories.get(token);
    if (!dir || rest.some((p) => p === '..' || p === '')) return next();
    const file = resolve(dir, ...rest);
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end(`${rest.join('/')}: not found`);
      return;
    }
    res.setHeader('content-type', 'application/octet-stream');
    createReadStream(file).pipe(res);
  };
  const blobRoute = (url: string, req: IncomingMessage, res: ServerResponse) => {
    const id = decodeURIComponent(url.replace(/^\//, '').split('?')[0]);
    if (req.method === 'GET') {
      try {
        const bytes = store.take(id);
        res.setHeader('content-type', 'application/octet-stream');
        res.end(bytes);
      } catch (e) {
        res.statusCode = 404;
        res.end(String(e));
      }
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const buf = Buffer.concat(chunks);
      store.set(id, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
      res.end();
    });
  };
  return (req, res, next) => {
    const url = req.url ?? '';
    if (url.startsWith(DIR_PREFIX)) return dirRoute(url.slice(DIR_PREFIX.length), res, next);
    if (url.startsWith(BLOB_PREFIX)) return blobRoute(url.slice(BLOB_PREFIX.length), req, res);
    next();
  };
}

const DIR_PREFIX = '/__harness/dir/';
const BLOB_PREFIX = '/__harness/blob/';

function blobPlugin(store: BlobStore): Plugin {
  return {
    name: 'avatarme-harness-blobs',
    configureServer(server) {
      server.middlewares.use(harnessRoutes(store));
    },
  };
}

/**
 * A server of the harness routes alone, for a page served by a server another process owns (the test
 * runner's shared browser and dev server): the page reaches this test file's blobs and directories
 * cross-origin, so every answer allows any origin and a PUT's preflight is answered.
 */
export async function startStoreServer(store: BlobStore): Promise<PageServer> {
  const routes = harnessRoutes(store);
  const server = createHttpServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, PUT');
      res.setHeader('access-control-allow-headers', 'content-type');
      res.statusCode = 204;
      res.end();
      return;
    }
    routes(req, res, () => {
      res.statusCode = 404;
      res.end(`${req.url}: not found`);
    });
  });
  return listenLocal(server);
}

async function listenLocal(server: ReturnType<typeof createHttpServer>): Promise<PageServer> {
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const port = (server.address() as { port: number }).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createNetServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

/** Dependencies that are CommonJS inside or split into many files; bundled once so the page never reloads. */
const PREBUNDLED = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgpu',
  '@tensorflow/tfjs-layers',
  '@tensorflow/tfjs-converter',
  'wgsl_reflect',
  // ONNX protobuf messages (protobufjs, CommonJS): the ONNX importer and its conformance runner.
  'onnx-proto',
];

/** A running page server: where the page is, and how to stop it. */
export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * The development server: Vite transforms the TypeScript sources as the page imports them, so tests
 * see every edit at once. Vite is imported here only, so a built page never loads it.
 */
export async function startPageServer(store: BlobStore): Promise<PageServer & { server: ViteDevServer }> {
  const port = await freePort();
  const { createServer } = await import('vite');
  const server = await createServer({
    root: REPO_ROOT,
    configFile: false,
    logLevel: 'error',
    clearScreen: false,
    cacheDir: resolve(REPO_ROOT, 'node_modules/.vite-harness'),
    resolve: { alias: workspaceAliases(REPO_ROOT) },
    optimizeDeps: { include: PREBUNDLED, noDiscovery: true, entries: [] },
    server: {
      host: '127.0.0.1',
      port,
      strictPort: true,
      hmr: false,
      watch: null,
      fs: { allow: [REPO_ROOT] },
    },
    plugins: [blobPlugin(store)],
  });
  await server.listen();
  return { server, origin: `http://127.0.0.1:${port}`, close: () => server.close() };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};

/**
 * The server of a built page (buildPageBundle): the bundle's files at the root, then the repository's
 * files read-only (model weights under /node_modules and /packages, as the dev server serves them),
 * and the harness routes. Plain node:http, nothing to transform.
 */
export async function startStaticServer(store: BlobStore, bundleDir: string): Promise<PageServer> {
  const routes = harnessRoutes(store);
  const server = createHttpServer((req, res) => {
    if ((req.url ?? '').startsWith(PAGE_DATA_PREFIX)) return pageDataRoute(bundleDir, req, res);
    routes(req, res, () => {
      const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
      if (req.method !== 'GET' || path.split('/').includes('..')) {
        res.statusCode = 404;
        res.end();
        return;
      }
      const rel = path === '/' ? 'index.html' : path.slice(1);
      const file = [resolve(bundleDir, rel), resolve(REPO_ROOT, rel)].find(
        (f) => existsSync(f) && statSync(f).isFile(),
      );
      if (!file) {
        res.statusCode = 404;
        res.end(`${path}: not found`);
        return;
      }
      res.setHeader('content-type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
      createReadStream(file).pipe(res);
    });
  });
  return listenLocal(server);
}

const PAGE_DATA_PREFIX = '/__page-data/';
const PAGE_DATA_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * GET /__page-data/<name> reads, PUT writes, a file the page derived from the bundle's own contents
 * (the lighting of a bundled environment), in `<bundle>/data/`: a new build of the sources is a new
 * folder, so whatever the page keeps here is keyed by the code and assets that made it. Every answer
 * carries `x-avatarme-page-data`, so the page tells this route from a server without it (the dev
 * server answers unknown paths with its index page).
 */
function pageDataRoute(bundleDir: string, req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('x-avatarme-page-data', '1');
  const name = decodeURIComponent((req.url ?? '').slice(PAGE_DATA_PREFIX.length).split('?')[0]);
  const dir = resolve(bundleDir, 'data');
  const file = resolve(dir, name);
  if (!PAGE_DATA_NAME.test(name) || (req.method !== 'GET' && req.method !== 'PUT')) {
    res.statusCode = 400;
    res.end();
    return;
  }
  if (req.method === 'GET') {
    if (!existsSync(file)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/octet-stream');
    createReadStream(file).pipe(res);
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    try {
      mkdirSync(dir, { recursive: true });
      // Written whole and renamed into place: a reader never sees half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, Buffer.concat(chunks));
      renameSync(tmp, file);
      res.end();
    } catch (e) {
      res.statusCode = 500;
      res.end(String(e));
    }
  });
}
