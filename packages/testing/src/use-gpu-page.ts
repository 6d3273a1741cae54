import { afterAll, beforeAll } from 'vitest';
import { GpuPage } from '@avatarme/browser-runtime';

/**
 * One browser per test file: opened before the first test, closed after the last. The adapter is
 * logged once so every GPU test run says what ran it.
 */
export function useGpuPage(): { readonly page: GpuPage } {
  const holder: { page?: GpuPage } = {};
  beforeAll(async () => {
    holder.page = await GpuPage.open();
    console.log(`[gpu] ${holder.page.adapterLine}`);
  }, 180_000);
  afterAll(async () => {
    await holder.page?.close();
  }, 60_000);
  return {
    get page() {
      if (!holder.page) throw new Error('GPU page not open (beforeAll failed)');
      return holder.page;
    },
  };
}
