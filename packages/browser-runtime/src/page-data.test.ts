import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlobStore, startStaticServer } from './server.ts';

describe("a built page's server keeps files the page derives, in the bundle's data folder", () => {
  it('404 before, the bytes after a PUT; every answer says the route exists; names with paths refused', async () => {
    const bundle = mkdtempSync(join(tmpdir(), 'page-'));
    const server = await startStaticServer(new BlobStore(), bundle);
    try {
      const url = `${server.origin}/__page-data/ibl-studio-0123.bin`;
      const missing = await fetch(url);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('x-avatarme-page-data')).toBe('1');
      const bytes = new Uint8Array([1, 2, 3, 250]);
      expect((await fetch(url, { method: 'PUT', body: bytes })).status).toBe(200);
      const got = await fetch(url);
      expect(got.status).toBe(200);
      expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
      // Written whole and renamed: no temporary file left beside it.
      expect(readdirSync(join(bundle, 'data'))).toEqual(['ibl-studio-0123.bin']);
      for (const bad of ['..%2Findex.html', '%2Fetc%2Fpasswd', '.hidden', 'a%2Fb'])
        expect(
          (await fetch(`${server.origin}/__page-data/${bad}`, { method: 'PUT', body: bytes })).status,
        ).toBe(400);
      expect(existsSync(join(bundle, 'index.html'))).toBe(false);
    } finally {
      await server.close();
      rmSync(bundle, { recursive: true, force: true });
    }
  });
});
