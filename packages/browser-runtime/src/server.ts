import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
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

/** GET /__harness/blob/<id> hands a blob to the page (once); PUT stores one the page made. */
function blobPlugin(store: BlobStore): Plugin {
  return {
    name: 'avatarme-harness-blobs',
    configureServer(server) {
      // Read-only local directories (a user's weights directory) under /__harness/dir/<token>/...
      server.middlewares.use('/__harness/dir/', (req, res, next) => {
        const [token, ...rest] = decodeURIComponent((req.url ?? '').split('?')[0])
          .replace(/^\//, '')
          .split('/');
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
      });
      server.middlewares.use('/__harness/blob/', (req, res) => {
        const id = decodeURIComponent((req.url ?? '').replace(/^\//, '').split('?')[0]);
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
      });
    },
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
];

export async function startPageServer(store: BlobStore): Promise<{ server: ViteDevServer; origin: string }> {
  const port = await freePort();
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
  return { server, origin: `http://127.0.0.1:${port}` };
}
