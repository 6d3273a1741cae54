// Prints the WebGPU adapter headless Chromium gets on this machine, as JSON (tools/device/check.sh).
import { GpuPage } from '@avatarme/browser-runtime';

const page = await GpuPage.open();
try {
  console.log(JSON.stringify(page.adapter, null, 2));
} finally {
  await page.close();
}
