import { gaussianBlur, resize, Tensor, type KernelContext } from '@avatarme/kernels';
import { loadReflectanceNetworks } from '../reflectance/learned/loader.ts';
import { REFLECTANCE_MAPS, type ReflectanceMap } from '../reflectance/learned/avatarme.ts';
import { runReflectanceNetworks } from '../reflectance/learned/run.ts';
import type { ReflectanceTilePlan } from '../reflectance/learned/tiles.ts';
import type { ReconstructOptions, ReflectanceBackend } from '../reconstruct/types.ts';
import { analyticReflectance, type ReflectanceTensors } from '../reflectance/analytic.ts';
import { prepareAnalyticInputs } from '../reflectance/analytic-inputs.ts';
import { roughnessPrior } from '../reflectance/roughness.ts';
import type { PosedSurface } from '../surface/surface.ts';
import { Laps } from './laps.ts';
import type { StageRunner } from './runner.ts';
import type { Unwrapped } from './unwrap.ts';
import type { MapInputs } from './upsample.ts';

export interface Reflectance {
  maps: ReflectanceTensors;
  /** glTF perceptual roughness √α per texel [1, N, N, 1]: the regional prior (reflectance/roughness.ts). */
  roughness: Tensor;
  /** Milliseconds of the analytic backend's steps (report.json reflectanceMs); empty with networks only. */
  timings: Record<string, number>;
  /** The backend that made each map. */
  backends: Record<ReflectanceMap, ReflectanceBackend>;
  plans: ReflectanceTilePlan[];
  dispose(): void;
}

const disposeAll = (maps: ReflectanceTensors) => {
  for (const t of Object.values(maps)) t.dispose();
};

/** The roughness prior at the maps' size: computed at up to 256² (it is smooth) and resized. */
function roughnessMap(ctx: KernelContext, surface: PosedSurface, size: number): Tensor {
  const small = Math.min(size, 256);
  const t = Tensor.fromArray(
    ctx,
    roughnessPrior(small, surface.specularPrior),
    [1, small, small, 1],
    'roughness',
  );
  if (small === size) return t;
  const r = resize(ctx, t, { height: size, width: size, mode: 'bilinear', coordinates: 'half-pixel' });
  t.dispose();
  return r;
}

/**
 * The four reflectance maps and the roughness prior. Without weights: the analytic backend. With weights: the networks the
 * manifest names (tiled); a map without a network falls back to the analytic backend.
 */
export async function reflectanceStage(
  ctx: KernelContext,
  inputs: MapInputs,
  unwrapped: Unwrapped,
  surface: PosedSurface,
  options: ReconstructOptions,
  run: StageRunner,
  /** Called after each step of the analytic backend (layout, delight, …), awaited: see prepareAnalyticInputs. */
  afterStep?: (step: string) => void | Promise<void>,
): Promise<Reflectance> {
  const laps = new Laps();
  // De-lighting and specular evidence from what the photo showed, at the unwrap's size.
  const analytic = async () => {
    const prepared = await prepareAnalyticInputs(ctx, inputs, unwrapped.uv, surface, {
      completion: options.completion,
      onStep: async (step) => {
        laps.lap(step);
        await afterStep?.(step);
      },
    });
    try {
      const maps = analyticReflectance(ctx, prepared.inputs, (c, x, o) => gaussianBlur(c, x, o));
      await ctx.finish();
      laps.lap('maps');
      return maps;
    } finally {
      prepared.dispose();
    }
  };
  if (!options.weights) {
    const maps = await analytic();
    const backends = Object.fromEntries(REFLECTANCE_MAPS.map((m) => [m, 'analytic'])) as Record<
      ReflectanceMap,
      ReflectanceBackend
    >;
    const roughness = roughnessMap(ctx, surface, inputs.size);
    laps.lap('roughness');
    return {
      maps,
      roughness,
      timings: laps.ms,
      backends,
      plans: [],
      dispose: () => {
        disposeAll(maps);
        roughness.dispose();
      },
    };
  }
  const nets = await loadReflectanceNetworks(ctx, options.weights, {
    signal: options.signal,
    onProgress: (e) => run.report(0, `loading ${e.file} (${e.index + 1}/${e.count})`),
  });
  let fallback: ReflectanceTensors | undefined;
  try {
    const missing = REFLECTANCE_MAPS.filter((m) => !nets.networks[m]);
    fallback = missing.length ? await analytic() : undefined;
    const size = inputs.size;
    const result = await runReflectanceNetworks(
      ctx,
      nets,
      {
        size,
        texture: await inputs.texture.read(),
        shapeNormals: await inputs.normals.read(),
        fallbackDiffuseAlbedo: fallback && (() => fallback!.diffuseAlbedo.read()),
      },
      { tile: options.tile, overlap: options.overlap, signal: options.signal },
      (f, m) => run.report(f, m),
    );
    const maps = {} as ReflectanceTensors;
    const backends = {} as Record<ReflectanceMap, ReflectanceBackend>;
    for (const m of REFLECTANCE_MAPS) {
      const out = result.maps[m];
      if (out) {
        maps[m] = Tensor.fromArray(ctx, out.data, [1, size, size, out.channels], m);
        backends[m] = 'pix2pixhd';
      } else {
        maps[m] = fallback![m];
        backends[m] = 'analytic';
      }
    }
    for (const m of REFLECTANCE_MAPS) if (fallback && maps[m] !== fallback[m]) fallback[m].dispose();
    const roughness = roughnessMap(ctx, surface, size);
    return {
      maps,
      roughness,
      timings: laps.ms,
      backends,
      plans: result.plans,
      dispose: () => {
        disposeAll(maps);
        roughness.dispose();
      },
    };
  } catch (e) {
    if (fallback) disposeAll(fallback);
    throw e;
  } finally {
    nets.dispose();
  }
}
