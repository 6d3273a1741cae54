import { KernelError, Tensor, pad, slice, type KernelContext } from '@avatarme/kernels';
import { NETWORK_INPUTS, REFLECTANCE_MAPS, type ReflectanceMap } from './avatarme.ts';
import type { ReflectanceNetwork, ReflectanceNetworks } from './loader.ts';
import { runTiled, type MemoryEstimate, type TileNet } from '@avatarme/nets';
import { joinChannels, planReflectanceTiles, type ReflectanceTilePlan } from './tiles.ts';

/**
 * One reflectance network as a TileNet: the window's channels are its inputs concatenated in the
 * manifest's order; a window whose sides are not multiples of m is padded (replicate) and cropped back.
 */
export class ReflectanceTileNet implements TileNet {
  readonly scale = 1;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly multiple: number;
  readonly memory: MemoryEstimate;

  constructor(
    readonly ctx: KernelContext,
    readonly network: ReflectanceNetwork,
  ) {
    this.inChannels = network.entry.input_nc;
    this.outChannels = network.entry.output_nc;
    this.multiple = network.model.multiple;
    this.memory = network.model.memory;
  }

  run(x: Tensor): Tensor {
    const [, h, w, c] = x.shape;
    if (c !== this.inChannels)
      throw new KernelError(
        `reflectance ${this.network.entry.map}`,
        `window has ${c} channels, not ${this.inChannels}`,
      );
    const m = this.multiple;
    const [bottom, right] = [Math.ceil(h / m) * m - h, Math.ceil(w / m) * m - w];
    const padded =
      bottom || right ? pad(this.ctx, x, { top: 0, bottom, left: 0, right, mode: 'replicate' }) : x;
    const inputs: Partial<Record<keyof typeof NETWORK_INPUTS, Tensor>> = {};
    let at = 0;
    for (const name of this.network.entry.inputs) {
      const n = NETWORK_INPUTS[name];
      inputs[name] = n === c ? padded : slice(this.ctx, padded, [0, 0, 0, at], [1, padded.h, padded.w, n]);
      at += n;
    }
    const y = this.network.run(inputs);
    for (const t of Object.values(inputs)) if (t !== padded) t.dispose();
    if (padded !== x) padded.dispose();
    if (!bottom && !right) return y;
    const kept = slice(this.ctx, y, [0, 0, 0, 0], [1, h, w, this.outChannels]);
    y.dispose();
    return kept;
  }
}

export interface NetworkReflectanceInputs {
  /** UV texture, [0, 1], size² × 3 (dense HWC). */
  texture: Float32Array;
  /** Object-space shape normals in UV space, [-1, 1], size² × 3 (dense HWC). */
  shapeNormals: Float32Array;
  /** The diffuse albedo to feed the other networks when the weights have no diffuseAlbedo network. */
  fallbackDiffuseAlbedo?: () => Promise<Float32Array>;
  size: number;
}

export interface NetworkReflectance {
  /** Each map the weights have a network for, [0, 1] (normals encoded n·0.5 + 0.5), dense HWC. */
  maps: Partial<Record<ReflectanceMap, { data: Float32Array; channels: number }>>;
  plans: ReflectanceTilePlan[];
}

/**
 * AvatarMe's inference order: diffuse albedo from the texture, then specular albedo, diffuse normals
 * and specular normals from the diffuse albedo (and the shape normals where the configuration says
 * so), each network slid over the map window by window (runTiled: raised-cosine blending).
 * Cancellation through `signal` stops between windows.
 */
export async function runReflectanceNetworks(
  ctx: KernelContext,
  nets: ReflectanceNetworks,
  inp: NetworkReflectanceInputs,
  opts: { tile?: number; overlap?: number; signal?: AbortSignal },
  report: (fraction: number, message: string) => void,
): Promise<NetworkReflectance> {
  const { size } = inp;
  const pixels = size * size;
  const encodedNormals = inp.shapeNormals.map((v) => v * 0.5 + 0.5);
  const present = REFLECTANCE_MAPS.filter((m) => nets.networks[m]);
  const result: NetworkReflectance = { maps: {}, plans: [] };
  let diffuseAlbedo: Float32Array | undefined;
  const available = async (name: keyof typeof NETWORK_INPUTS): Promise<Float32Array> => {
    if (name === 'texture') return inp.texture;
    if (name === 'shapeNormals') return encodedNormals;
    diffuseAlbedo ??= result.maps.diffuseAlbedo?.data ?? (await inp.fallbackDiffuseAlbedo?.());
    if (!diffuseAlbedo) throw new Error('reflectance: no diffuse albedo to feed the other networks');
    return diffuseAlbedo;
  };
  for (const [i, map] of present.entries()) {
    const network = nets.networks[map]!;
    const net = new ReflectanceTileNet(ctx, network);
    const entry = network.entry;
    const parts = await Promise.all(entry.inputs.map(available));
    const image = joinChannels(
      parts,
      entry.inputs.map((n) => NETWORK_INPUTS[n]),
      pixels,
    );
    const plan = planReflectanceTiles(size, net.multiple, {
      tile: opts.tile,
      overlap: opts.overlap,
      inferencePatchSize: entry.inferencePatchSize,
      memory: net.memory,
      limits: ctx.limits,
    });
    const out = await runTiled(net, image, size, size, {
      tile: plan.tile,
      overlap: plan.overlap,
      context: plan.context,
      signal: opts.signal,
      onProgress: ({ done, total }) =>
        report((i + done / total) / present.length, `${map}: window ${done}/${total} of ${plan.tile}²`),
    });
    result.maps[map] = { data: out.data, channels: net.outChannels };
    result.plans.push({ map, ...plan, windows: out.windows, size, blend: out.blend });
  }
  return result;
}
