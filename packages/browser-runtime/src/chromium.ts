import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer';

/**
 * Flags measured in shared docs (webgpu-here.md): with only --enable-unsafe-webgpu compute works but a
 * presented WebGPU canvas loses the device; the SwiftShader/ANGLE set makes both work. The network flags
 * keep Chromium from dialling out on a machine with no network.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--use-angle=swiftshader',
  '--use-vulkan=swiftshader',
  '--enable-features=Vulkan',
  '--enable-unsafe-swiftshader',
  '--disable-gpu-watchdog',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new Error('Chromium not found: install Debian\'s "chromium" package or set CHROME_PATH');
}

export async function launchChromium(): Promise<Browser> {
  // puppeteer gives each launch a fresh temporary profile and removes it on close.
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_FLAGS,
    protocolTimeout: 0,
  });
}
