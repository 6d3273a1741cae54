import { Conv2d, KernelContext, Tensor } from '@avatarme/kernels';
import { decodeImage, encodePng, rgbFloatToRgba, rgbaToRgbFloat } from '@avatarme/pipeline';

const KERNELS: Record<string, number[]> = {
  sobel: [1, 0, -1, 2, 0, -2, 1, 0, -1],
  blur: [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16),
  sharpen: [0, -1, 0, -1, 5, -1, 0, -1, 0],
};

/** A 3×3 filter applied to each colour channel separately, as a 3→3 HWIO convolution. */
export async function filterImage(
  device: GPUDevice,
  args: { bytes: Uint8Array; name: string; kernel: string },
) {
  const image = await decodeImage(args.bytes, args.name);
  const ctx = new KernelContext(device);
  const k = KERNELS[args.kernel];
  const hwio = new Float32Array(9 * 3 * 3);
  for (let t = 0; t < 9; t++) for (let c = 0; c < 3; c++) hwio[(t * 3 + c) * 3 + c] = k[t];
  const sobel = args.kernel === 'sobel';
  const conv = Conv2d.create(ctx, hwio, [3, 3, 3, 3], {
    padding: 'same',
    padMode: 'replicate',
    activation: 'clamp',
    clampMin: sobel ? -1 : 0,
    clampMax: 1,
    label: `filter:${args.kernel}`,
  });
  const input = Tensor.fromArray(ctx, rgbaToRgbFloat(image), [1, image.height, image.width, 3], 'photo');
  const out = conv.run(input);
  const rgb = await out.read();
  if (sobel) for (let i = 0; i < rgb.length; i++) rgb[i] = Math.abs(rgb[i]);
  input.dispose();
  out.dispose();
  conv.dispose();
  ctx.dispose();
  return {
    png: await encodePng(rgbFloatToRgba(rgb, image.width, image.height)),
    width: image.width,
    height: image.height,
  };
}
