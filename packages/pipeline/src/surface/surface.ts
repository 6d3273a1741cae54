import type { KernelContext } from '@avatarme/kernels';
import type { TexturedMesh } from '../export/mesh.ts';
import type { WeakPerspectiveCamera } from '../fit/camera.ts';
import type { FaceImage } from '../face/image.ts';
import type { FaceMesh } from '../mesh/face-mesh.ts';
import type { SpecularBlob } from '../reflectance/analytic.ts';

export type Rgb = [number, number, number];
export type Landmarks = readonly (readonly [number, number, number])[];

/**
 * How the unwrap completes one part of a surface that the photo does not show: unseen texels within
 * `band` (model units, in 3-D) of a seen or mirrored texel of the same part are blended in by
 * push-pull; farther ones take `fill`'s colour outright (given the photo's de-shaded skin tone, sRGB).
 * `band: Infinity` leaves everything to push-pull. Skin regions also get the photo's grain.
 */
export interface CompletionRegion {
  name: string;
  band: number;
  fill?: (skinTone: Rgb) => Rgb;
  /** Completed texels take the photo's skin grain (unwrap/skin-detail.ts) on top of the fill. */
  grain?: boolean;
  /** An eyeball: its iris is completed as a disc from the photo's iris landmarks (unwrap/iris.ts), the rest is the fill. */
  iris?: boolean;
  /**
   * Inside the mouth (teeth, gums, tongue): seen where the photo's mouth opening shows it, whether or
   * not the fitted lips cover it (unwrap/mouth-interior.ts).
   */
  insideMouth?: boolean;
}

/**
 * A surface fitted to a photo: everything unwrap, re-render, reflectance and export need, whatever
 * the shape model. Positions are in model space (y up, z towards the viewer) and, through `camera`,
 * in the photo's camera frame (x, y pixels, v down; z away from the camera).
 */
export interface PosedSurface {
  /** What made it ('ICT head …', 'FaceMesh …'), for the report. */
  description: string;
  camera: WeakPerspectiveCamera;
  angles: { yaw: number; pitch: number; roll: number };
  /** Model-space positions, UVs in [0, 1] (v down, one per vertex) and triangles. */
  mesh: FaceMesh;
  /** Unit model-space vertex normals [V·3]. */
  normals: Float32Array;
  cameraPositions: Float32Array;
  cameraNormals: Float32Array;
  /** Each vertex's mirror image's UV across the face's symmetry plane [V·2]. */
  mirrorUvs: Float32Array;
  /** 1 on bare-skin triangles (the weights of the lighting fit), 0 on eyes, brows, lips, teeth … [F]. */
  skinOfTriangle: Uint8Array;
  /**
   * 1 on triangles that should show bare skin (forehead, scalp, ears, neck; not brows, eyes or lips):
   * where the photo shows something unlike the skin there (hair, clothing, glasses), the unwrap
   * treats it as unseen [F].
   */
  occludableOfTriangle: Uint8Array;
  /** The completion region of each triangle, 1-based into `regions` [F]. */
  regionOfTriangle: Uint8Array;
  regions: CompletionRegion[];
  /**
   * Require all four bilinear taps of a seen texel to show its own region: needed where surfaces
   * overlap within the depth tolerance (eyelids over eyeballs, lips over teeth).
   */
  cleanTaps: boolean;
  /** The mesh written to OBJ/glTF and rendered. */
  exportMesh: TexturedMesh;
  /** Where skin is shiny on this UV layout (the analytic backend's specular prior). */
  specularPrior: SpecularBlob[];
  /** Pixel distance between the fitted landmarks and the photo's. */
  reprojection: { mean: number; max: number };
  /** Model-specific fit figures for the report. */
  report: Record<string, unknown>;
}

/** A shape model that can be fitted to a photo's FaceMesh landmarks. */
export interface SurfaceModel {
  /** 'head' or 'facemesh'. */
  readonly name: string;
  fit(
    ctx: KernelContext,
    landmarks: Landmarks,
    image: { width: number; height: number },
    report?: (fraction: number, message: string) => void,
    /** The photo on the GPU, for models that fit to its pixels. */
    photo?: FaceImage,
    /** Iris centres in the photo (face/iris.ts), for models with eyeballs to turn towards them. */
    irises?: readonly { centre: readonly number[] }[],
  ): Promise<PosedSurface>;
}
