import { GpuPage } from '@avatarme/browser-runtime';

/**
 * The CLI runs the product's code where it is meant to run, in a browser's WebGPU: headless Chromium
 * serving the sources from 127.0.0.1. Node only reads and writes files.
 */
export async function withGpuPage<T>(fn: (page: GpuPage) => Promise<T>): Promise<T> {
  const page = await GpuPage.open();
  try {
    return await fn(page);
  } finally {
    await page.close();
  }
}
