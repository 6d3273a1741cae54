import { KernelContext, Tensor } from '@avatarme/kernels';
import { analyticShadingPass, detailNormals, type SpecularBlob } from './analytic.ts';

export async function runShadingPass(
  device: GPUDevice,
  a: {
    tex: Float32Array;
    normals: Float32Array;
    mask: Float32Array;
    sh: Float32Array;
    prior: SpecularBlob[];
    w: number;
    h: number;
  },
) {
  const ctx = new KernelContext(device);
  const texture = Tensor.fromArray(ctx, a.tex, [1, a.h, a.w, 3]);
  const normals = Tensor.fromArray(ctx, a.normals, [1, a.h, a.w, 3]);
  const mask = Tensor.fromArray(ctx, a.mask, [1, a.h, a.w, 1]);
  const r = analyticShadingPass(
    ctx,
    { texture, normals, mask, sh: a.sh, prior: a.prior },
    { minShading: 0.05, baseSpecular: 0.25, outsideSpecular: 0.1 },
  );
  const out = {
    albedo: await r.diffuseAlbedo.read(),
    specular: await r.specularAlbedo.read(),
    luminance: await r.luminance.read(),
  };
  ctx.dispose();
  return out;
}

export async function runDetailNormals(
  device: GPUDevice,
  a: { lum: Float32Array; blurred: Float32Array; w: number; h: number; strength: number },
) {
  const ctx = new KernelContext(device);
  const lum = Tensor.fromArray(ctx, a.lum, [1, a.h, a.w, 1]);
  const blurred = Tensor.fromArray(ctx, a.blurred, [1, a.h, a.w, 1]);
  const out = await detailNormals(ctx, lum, blurred, a.strength).read();
  ctx.dispose();
  return out;
}
