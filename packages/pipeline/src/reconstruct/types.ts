import type { TexturedMesh } from '../export/mesh.ts';
import type { ModelFileReader } from '../morphable/load.ts';
import type { RgbaImage } from '../image/codec.ts';

export const STAGES = ['detect', 'landmarks', 'fit', 'unwrap', 'upsample', 'reflectance', 'export'] as const;
export type Stage = (typeof STAGES)[number];

export interface Progress {
  stage: Stage;
  /** 0..1 within the stage. */
  fraction: number;
  message: string;
}

export type ReflectanceBackend = 'analytic' | 'pix2pixhd';

export interface ReconstructOptions {
  /** Side of the UV maps before upsampling (default 256). */
  uvSize?: number;
  /** Super-resolution factor of the UV texture: 1 (off), 2, 4 or 8 (default 1 here: see README timings). */
  upscale?: 1 | 2 | 4 | 8;
  /**
   * Where ESRGAN runs when upscale > 1: 'atlas' over the unwrapped UV texture, or 'photo' over the
   * photo's face crop before unwrapping (its training domain), the UV maps then unwrapped at
   * uvSize × upscale (default 'atlas').
   */
  superResolution?: 'atlas' | 'photo';
  /**
   * How the unwrap completes texels the photo does not show: 'exemplar' (symmetry blended in the
   * gradient domain, region-constrained PatchMatch for the rest) or 'push-pull' (region fill, blur,
   * blocks of skin grain). Default 'push-pull'.
   */
  completion?: 'exemplar' | 'push-pull';
  /** Sliding-window tile size and overlap for the image-to-image networks (default: from the adapter). */
  tile?: number;
  overlap?: number;
  /**
   * The shape fitted to the photo: 'head' (default) the ICT head — face, scalp, ears, neck, eyes and
   * mouth interior — on its UV layout; 'facemesh' FaceMesh's own 468-point face mask (the light path,
   * kept for comparison).
   */
  shape?: 'head' | 'facemesh';
  /**
   * With shape 'head': 'landmarks' fits identity, expression and pose to the landmarks;
   * 'photometric' (default) then refines them, with a perspective camera, SH light and an albedo
   * texture, by analysis-by-synthesis on the photo (fit/photometric/); 'photometric-identity' adds the
   * identity loss 1 − cos(FaceRes(render), FaceRes(photo)) to that refinement.
   */
  fit?: 'landmarks' | 'photometric' | 'photometric-identity';
  /**
   * With shape 'head': a morphable head model folder (the ICT Face Model format, see the package
   * README) as a URL or a reader of its files, instead of the compact head shipped with the package.
   */
  faceModel?: string | ModelFileReader;
  /**
   * Also render renders/<view>_<environment>.png: front, three-quarter and profile under the three
   * bundled HDR environments (512² each; render.png, the front under the studio, is always made).
   */
  renders?: boolean;
  /**
   * Also run FaceRes on the photo and on the re-render and put their cosine in report.json
   * (roundTrip.identitySimilarity): a round-trip diagnostic of the fit and unwrap, not a measure of
   * the avatar (npm run eval scores identity in novel views), and about a second of GPU time.
   */
  identityCheck?: boolean;
  /** URL of a pix2pixHD weights directory (manifest.json + safetensors): selects the pix2pixhd backend. */
  weights?: string;
  /**
   * The folder URL a page serves the model files from, as `npx avatarme-models <dir>` lays them out:
   * human/ (face detection and landmarks), ict-head/ (the built-in head) and @upscalerjs/ (ESRGAN, for
   * upscale > 1). A relative URL resolves against `location` (a worker's is its script's URL, so pass
   * an absolute one there). Without it the monorepo's dev-server paths apply (/node_modules/...).
   */
  modelBaseUrl?: string;
  /** One model folder each, overriding what `modelBaseUrl` gives. */
  assets?: { humanModels?: string; upscalerModels?: string; headModel?: string };
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Name of the input for error messages. */
  name?: string;
}

export interface ReconstructionMaps {
  uvTexture: RgbaImage;
  visibility: RgbaImage;
  diffuseAlbedo: RgbaImage;
  specularAlbedo: RgbaImage;
  diffuseNormals: RgbaImage;
  specularNormals: RgbaImage;
  /** glTF perceptual roughness √α (grey; G read by glTF's metallicRoughnessTexture). */
  roughness: RgbaImage;
  shapeNormals: RgbaImage;
}

export interface ReconstructionResult {
  mesh: TexturedMesh;
  maps: ReconstructionMaps;
  /** The face rendered with the maps (same shading as the demo) and the fit over the photo. */
  render: RgbaImage;
  overlay: RgbaImage;
  /** Output files by name (PNG maps, mesh.obj, mesh.mtl, avatar.glb, report.json). */
  files: Record<string, Uint8Array>;
  report: Record<string, unknown>;
}
