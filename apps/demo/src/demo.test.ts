import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, ElementHandle, Page } from 'puppeteer';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, launchChromium } from '@avatarme/browser-runtime';

const APP = resolve(import.meta.dirname, '..');
const ARTIFACTS = resolve(APP, '../../reports/demo');

let server: ViteDevServer;
let browser: Browser;
let page: Page;
let origin: string;

/** Pixel statistics of a screenshot region, decoded by the browser itself. */
async function regionStats(shot: Uint8Array, box: { x: number; y: number; w: number; h: number }) {
  const b64 = Buffer.from(shot).toString('base64');
  return page.evaluate(
    async (data, r) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const g = c.getContext('2d')!;
      g.drawImage(bmp, 0, 0);
      const px = g.getImageData(r.x, r.y, r.w, r.h).data;
      const bg = [px[0], px[1], px[2]];
      let differing = 0;
      let sum = 0;
      for (let i = 0; i < px.length; i += 4) {
        sum += px[i] + px[i + 1] + px[i + 2];
        if (Math.abs(px[i] - bg[0]) + Math.abs(px[i + 1] - bg[1]) + Math.abs(px[i + 2] - bg[2]) > 24)
          differing++;
      }
      return { differing, mean: sum / (px.length / 4) / 3, pixels: px.length / 4 };
    },
    b64,
    box,
  );
}

beforeAll(async () => {
  const port = await freePort();
  server = await createServer({
    configFile: resolve(APP, 'vite.config.ts'),
    logLevel: 'error',
    server: { port, strictPort: true, hmr: false },
  });
  await server.listen();
  origin = `http://127.0.0.1:${port}`;
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('demo site (headless Chromium, WebGPU)', () => {
  it('reconstructs the sample as a whole head and renders it reacting to the light', async () => {
    await page.goto(origin + '/', { waitUntil: 'load' });
    await page.waitForFunction(() => (window as any).viewer !== undefined, { timeout: 60_000 });
    await page.select('#uv-size', '128');
    await page.select('#upscale', '1');
    await page.click('#run');
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), {
      timeout: 480_000,
    });
    const error = await page.$eval('#error', (e) => ((e as HTMLElement).hidden ? '' : e.textContent));
    expect(error).toBe('');
    await page.waitForFunction(() => (window as any).viewer.frames > 0, { timeout: 60_000 });
    const canvas = (await page.$('#view'))!;
    const box = (await canvas.boundingBox())!;
    const shot1 = await page.screenshot({ type: 'png' });
    writeFileSync(resolve(ARTIFACTS, 'demo-result.png'), shot1);
    const centre = {
      x: Math.round(box.x + box.width * 0.3),
      y: Math.round(box.y + box.height * 0.3),
      w: Math.round(box.width * 0.4),
      h: Math.round(box.height * 0.4),
    };
    const s1 = await regionStats(shot1, centre);
    // The face fills the middle of the view: most pixels there differ from the background.
    expect(s1.differing / s1.pixels).toBeGreaterThan(0.5);
    // Without any upload the built-in head is reconstructed: the band below the face (neck) is covered.
    const neck = await regionStats(shot1, {
      x: Math.round(box.x + box.width * 0.4),
      y: Math.round(box.y + box.height * 0.78),
      w: Math.round(box.width * 0.2),
      h: Math.round(box.height * 0.08),
    });
    expect(neck.differing / neck.pixels).toBeGreaterThan(0.5);
    const frames = await page.evaluate(() => (window as any).viewer.frames);
    await page.$eval('#light', (el) => {
      (el as HTMLInputElement).value = '-150';
      el.dispatchEvent(new Event('input'));
    });
    await page.waitForFunction((f) => (window as any).viewer.frames > f, { timeout: 60_000 }, frames);
    const s2 = await regionStats(await page.screenshot({ type: 'png' }), centre);
    expect(Math.abs(s2.mean - s1.mean)).toBeGreaterThan(2);
    expect(await page.$$eval('#gallery img', (imgs) => imgs.length)).toBeGreaterThanOrEqual(5);
  });

  it('shows a clear message for a file that is not an image', async () => {
    await page.goto(origin + '/', { waitUntil: 'load' });
    const input = (await page.$('#file')) as ElementHandle<HTMLInputElement>;
    const bad = resolve(ARTIFACTS, 'not-an-image.png');
    writeFileSync(bad, 'this is text, not a PNG');
    await input.uploadFile(bad);
    await page.waitForFunction(() => document.body.dataset.photo === 'not-an-image.png');
    await page.click('#run');
    await page.waitForFunction(() => document.body.dataset.state === 'error', { timeout: 60_000 });
    const msg = await page.$eval('#error', (e) => e.textContent ?? '');
    expect(msg).toMatch(/not-an-image.png: not a decodable image/);
    writeFileSync(resolve(ARTIFACTS, 'demo-error.png'), await page.screenshot({ type: 'png' }));
  });

  it('reconstructs the whole head when the visitor picks an ICT Face Model folder', async () => {
    // Third-party data that must not be committed: read from shared/, fail when it is missing.
    const modelDir = resolve(APP, '../../../shared/data/ict-face-model');
    expect(existsSync(join(modelDir, 'model.json')), `ICT Face Model missing at ${modelDir}`).toBe(true);
    await page.goto(origin + '/', { waitUntil: 'load' });
    await page.waitForFunction(() => (window as any).viewer !== undefined, { timeout: 60_000 });
    await page.waitForFunction(() => document.body.dataset.photo === 'astronaut.png');
    const folder = (await page.$('#face-model')) as ElementHandle<HTMLInputElement>;
    await folder.uploadFile(...readdirSync(modelDir).map((f) => join(modelDir, f)));
    const files = await page.$eval('#face-model', (e) => (e as HTMLInputElement).files?.length ?? 0);
    expect(files).toBeGreaterThan(0);
    await page.waitForFunction(() =>
      /whole head/.test(document.getElementById('face-model-state')!.textContent ?? ''),
    );
    await page.select('#uv-size', '128');
    await page.click('#run');
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), {
      timeout: 480_000,
    });
    expect(await page.$eval('#error', (e) => ((e as HTMLElement).hidden ? '' : e.textContent))).toBe('');
    await page.waitForFunction(() => (window as any).viewer.frames > 0, { timeout: 60_000 });
    const shot = await page.screenshot({ type: 'png' });
    writeFileSync(resolve(ARTIFACTS, 'demo-head.png'), shot);
    const box = (await (await page.$('#view'))!.boundingBox())!;
    // The head is taller than the face alone: the band below the face (neck) is covered too.
    const neck = await regionStats(shot, {
      x: Math.round(box.x + box.width * 0.4),
      y: Math.round(box.y + box.height * 0.78),
      w: Math.round(box.width * 0.2),
      h: Math.round(box.height * 0.08),
    });
    expect(neck.differing / neck.pixels).toBeGreaterThan(0.5);
    expect(await page.$$eval('#downloads a', (as) => as.map((a) => a.textContent))).toContain('avatar.glb');
  });
});
