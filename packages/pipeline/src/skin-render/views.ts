import {
  KernelContext,
  ambientOcclusion,
  positionBounds,
  readRgba8,
  tensorToRgba8,
  type AmbientOcclusionOptions,
} from '@avatarme/kernels';
import type { TexturedMesh } from '../export/mesh.ts';
import type { RgbaImage } from '../image/codec.ts';
import { HDR_ENVIRONMENT_NAMES, IblEnvironment, type HdrEnvironmentName } from './ibl-environment.ts';
import { lookAt, multiply, perspective } from './math.ts';
import { SkinRenderer, type SkinMaps, type SkinRendererOptions, type SkinView } from './skin-render.ts';

/** Yaw of the camera about the face's vertical axis, degrees (the face looks along +z). */
export const VIEW_YAWS = { front: 0, 'three-quarter': 35, profile: 90, back: 180 } as const;
export type ViewName = keyof typeof VIEW_YAWS;
/** The views renderViews draws unless told otherwise; the back is asked for by name (it costs time). */
export const VIEW_NAMES: ViewName[] = ['front', 'three-quarter', 'profile'];

export interface RenderViewsOptions {
  views?: ViewName[];
  environments?: HdrEnvironmentName[];
  /** Square image side. Default 512. */
  size?: number;
  /** Everything else of a SkinView (exposure, tone mapping, translucency, rotation …). */
  view?: Partial<SkinView>;
  /**
   * Exposure (EV, on the environment normalised to mean radiance 1) per environment, replacing the
   * metered one for that environment (SkinView.autoExposure).
   */
  exposures?: Partial<Record<HdrEnvironmentName, number>>;
  renderer?: SkinRendererOptions;
  /** What the camera frames; default the mesh's bounding sphere. */
  framing?: FramedSphere;
  /** Per-vertex ambient occlusion (ambientOcclusion); default on with 32 directions at 192². */
  occlusion?: boolean | AmbientOcclusionOptions;
}

export interface RenderedView {
  view: ViewName;
  environment: HdrEnvironmentName;
  /** Relative path under the output folder, e.g. renders/three-quarter_city.png. */
  file: string;
  image: RgbaImage;
}

/** A sphere the camera frames: centre and radius in the mesh's units. */
export interface FramedSphere {
  centre: [number, number, number];
  radius: number;
}

/** A camera framing `sphere` (default: the mesh's bounding sphere) from `yawDegrees` about +y. */
export function framingCamera(
  mesh: TexturedMesh,
  yawDegrees: number,
  aspect = 1,
  { centre, radius }: FramedSphere = positionBounds(mesh.positions),
): Pick<SkinView, 'viewProj' | 'eye'> {
  const fov = Math.PI / 6;
  const distance = (radius / Math.tan(fov / 2)) * 1.1;
  const yaw = (yawDegrees * Math.PI) / 180;
  const eye: [number, number, number] = [
    centre[0] + Math.sin(yaw) * distance,
    centre[1],
    centre[2] + Math.cos(yaw) * distance,
  ];
  const viewProj = multiply(
    perspective(fov, aspect, radius / 50, radius * 50),
    lookAt(eye, centre, [0, 1, 0]),
  );
  return { viewProj, eye };
}

/**
 * The face from each view under each bundled HDR environment (front, 3/4 and profile × studio, city,
 * apartment by default), with the skin renderer's defaults: key light from the environment's
 * brightest direction with its shadow, per-vertex ambient occlusion, SSS in millimetres, PBR Neutral
 * tone mapping.
 */
export async function renderViews(
  ctx: KernelContext,
  mesh: TexturedMesh,
  maps: SkinMaps,
  options: RenderViewsOptions = {},
): Promise<RenderedView[]> {
  const views = options.views ?? VIEW_NAMES;
  const environments = options.environments ?? HDR_ENVIRONMENT_NAMES;
  for (const v of views)
    if (!(v in VIEW_YAWS))
      throw new Error(`renderViews: unknown view "${v}" (have ${Object.keys(VIEW_YAWS).join(', ')})`);
  const size = options.size ?? 512;
  const aoOptions = options.occlusion ?? true;
  const occlusion =
    aoOptions && mesh.normals && !options.renderer?.occlusion
      ? await ambientOcclusion(ctx, mesh.positions, mesh.normals, mesh.triangles, {
          directions: 32,
          resolution: 192,
          ...(aoOptions === true ? {} : aoOptions),
        })
      : undefined;
  const renderer = SkinRenderer.create(ctx, mesh, maps, {
    ...(occlusion ? { occlusion } : {}),
    ...options.renderer,
  });
  const out: RenderedView[] = [];
  try {
    for (const name of environments) {
      const environment = await IblEnvironment.load(ctx, name);
      try {
        for (const view of views) {
          const image = renderer.render({
            width: size,
            height: size,
            ...framingCamera(mesh, VIEW_YAWS[view], 1, options.framing),
            background: [0, 0, 0, 0],
            ...options.view,
            ...(options.exposures?.[name] !== undefined
              ? { exposure: options.exposures[name], autoExposure: false }
              : {}),
            environment,
          });
          const bytes = tensorToRgba8(ctx, image, { scale: 255 });
          image.dispose();
          const data = await readRgba8(ctx, bytes, size, size).finally(() => ctx.pool.release(bytes));
          out.push({
            view,
            environment: name,
            file: `renders/${view}_${name}.png`,
            image: { width: size, height: size, data },
          });
        }
      } finally {
        environment.dispose();
      }
    }
  } finally {
    renderer.dispose();
  }
  return out;
}
