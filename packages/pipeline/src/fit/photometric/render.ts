import {
  antialias,
  antialiasBackward,
  interpolate,
  interpolateBackward,
  rasterize,
  Tensor,
  texture,
  textureBackward,
  type KernelContext,
  type Triangles,
} from '@avatarme/kernels';
import { barycentricsBackward } from './barycentric.ts';

/**
 * One differentiable render of a mesh on the kernels' raster primitives (nvdiffrast's split):
 * rasterize → interpolate [u, v, shade r, g, b] → texture (albedo at u, v) → colour = shade ⊙ albedo
 * → antialias; then, given ∂L/∂image, back through antialias, texture, interpolate and the
 * rasteriser (barycentric.ts): positions get gradients from silhouettes (antialias), from interior
 * edges of shading and texture (the barycentrics) and, through the caller, from per-vertex shading
 * and landmarks.
 */
export interface RenderInputs {
  /** Clip-space positions [V·4]. */
  clip: Float32Array;
  /** Per vertex [V·5]: texture u, v, then shading r, g, b. */
  attributes: Float32Array;
  triangles: Triangles;
  /** The same triangles on the CPU [T·3] (for the rasteriser's adjoint). */
  triangleIndices: Uint32Array;
  /** The albedo texture on the GPU [1, th, tw, 3]. */
  albedo: Tensor;
  width: number;
  height: number;
}

export interface Rendered {
  /** Antialiased colour [H·W·3]. */
  image: Float32Array;
  /** Raster (u, v, z/w, triangle id + 1) [H·W·4]. */
  rast: Float32Array;
}

export interface RenderGradients {
  /** ∂L/∂clip [V·4] (x, y, w from silhouettes and barycentrics). */
  clip: Float32Array;
  /** ∂L/∂attributes [V·5] (shading lanes only; u, v are constants of the mesh). */
  attributes: Float32Array;
  /** ∂L/∂albedo [th·tw·3]. */
  albedo: Float32Array;
}

/** A render whose intermediates stay on the GPU until backward() or dispose(). */
export class DifferentiableRender {
  private constructor(
    private readonly ctx: KernelContext,
    private readonly inputs: RenderInputs,
    private readonly tensors: {
      pos: Tensor;
      attr: Tensor;
      rast: Tensor;
      interp: Tensor;
      sampled: Tensor;
      color: Tensor;
    },
    readonly result: Rendered,
    private readonly shade: Float32Array,
    private readonly albedoSample: Float32Array,
  ) {}

  static async forward(ctx: KernelContext, inp: RenderInputs): Promise<DifferentiableRender> {
    const V = inp.clip.length / 4;
    const pos = Tensor.fromArray(ctx, inp.clip, [V, 1, 1, 4], 'abs.pos');
    const attr = Tensor.fromArray(ctx, inp.attributes, [V, 1, 1, 5], 'abs.attr');
    const rast = rasterize(ctx, pos, inp.triangles, { width: inp.width, height: inp.height });
    const interp = interpolate(ctx, attr, rast, inp.triangles);
    const sampled = texture(ctx, inp.albedo, interp, { mask: rast });
    // Reads in flight together: each is a round trip to the GPU process, most of a small render's time.
    const [iv, sv] = await Promise.all([interp.read(), sampled.read()]);
    const n = inp.width * inp.height;
    const shade = new Float32Array(n * 3);
    const rgb = new Float32Array(n * 3);
    for (let p = 0; p < n; p++)
      for (let c = 0; c < 3; c++) {
        shade[3 * p + c] = iv[5 * p + 2 + c];
        rgb[3 * p + c] = iv[5 * p + 2 + c] * sv[3 * p + c];
      }
    const color = Tensor.fromArray(ctx, rgb, [1, inp.height, inp.width, 3], 'abs.color');
    const out = antialias(ctx, color, rast, pos, inp.triangles);
    const [image, rastCpu] = await Promise.all([out.read(), rast.read()]);
    const result = { image, rast: rastCpu };
    out.dispose();
    return new DifferentiableRender(ctx, inp, { pos, attr, rast, interp, sampled, color }, result, shade, sv);
  }

  /**
   * Gradients of a loss given ∂L/∂image [H·W·3]; `geometry: false` leaves ∂L/∂clip zero (and skips the
   * rasteriser's adjoint) for a caller that holds the geometry.
   */
  async backward(dImage: Float32Array, options: { geometry?: boolean } = {}): Promise<RenderGradients> {
    const { ctx, inputs: inp, tensors: t } = this;
    const dy = Tensor.fromArray(ctx, dImage, [1, inp.height, inp.width, 3], 'abs.dImage');
    const { dColor, dPos } = antialiasBackward(ctx, t.color, t.rast, t.pos, inp.triangles, dy);
    const dc = await dColor.read();
    const n = inp.width * inp.height;
    const dSampled = new Float32Array(n * 3);
    for (let p = 0; p < n; p++)
      for (let c = 0; c < 3; c++) dSampled[3 * p + c] = dc[3 * p + c] * this.shade[3 * p + c];
    const dS = Tensor.fromArray(ctx, dSampled, [1, inp.height, inp.width, 3], 'abs.dSampled');
    const { dTex, dCoords } = textureBackward(ctx, inp.albedo, t.interp, dS, { mask: t.rast });
    const geometry = options.geometry ?? true;
    // The texture coordinates are interpolated too: their gradient joins the shading's (it only
    // reaches the positions, through the barycentrics).
    const dUvTex = geometry ? await dCoords.read() : undefined;
    const dInterp = new Float32Array(n * 5);
    for (let p = 0; p < n; p++) {
      if (dUvTex) {
        dInterp[5 * p] = dUvTex[4 * p];
        dInterp[5 * p + 1] = dUvTex[4 * p + 1];
      }
      for (let c = 0; c < 3; c++) dInterp[5 * p + 2 + c] = dc[3 * p + c] * this.albedoSample[3 * p + c];
    }
    const dI = Tensor.fromArray(ctx, dInterp, [1, inp.height, inp.width, 5], 'abs.dInterp');
    const { dAttr, dRast } = interpolateBackward(ctx, t.attr, t.rast, inp.triangles, dI);
    const [clip, dr, attributes, albedo] = await Promise.all([
      geometry ? dPos.read() : new Float32Array(inp.clip.length),
      geometry ? dRast.read() : undefined,
      dAttr.read(),
      dTex.read(),
    ]);
    if (dr)
      barycentricsBackward(inp.clip, inp.triangleIndices, this.result.rast, dr, inp.width, inp.height, clip);
    // u, v are constants of the mesh: their lanes carry no gradient out.
    for (let i = 0; i < attributes.length; i += 5) attributes[i] = attributes[i + 1] = 0;
    const grads = { clip, attributes, albedo };
    for (const x of [dy, dColor, dPos, dI, dS, dAttr, dRast, dTex, dCoords]) x.dispose();
    return grads;
  }

  dispose(): void {
    for (const x of Object.values(this.tensors)) x.dispose();
  }
}
