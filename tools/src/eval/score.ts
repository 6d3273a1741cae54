/**
 * Scores reconstructions against a subject in image space (runs in the page): each is aligned to the
 * subject by a similarity, then subject and reconstruction are rendered by the product's skin renderer
 * from the same cameras, map by map (diffuse albedo, specular albedo, shading normals) and fully lit
 * under environments no photo was lit by; the metrics compare them over the subject's face region.
 */
import type { KernelContext } from '@avatarme/kernels';
import type { TexturedMesh } from '@avatarme/pipeline/export/mesh.ts';
import { applySimilarity, type Similarity } from '@avatarme/pipeline/fit/similarity.ts';
import { SkinRenderer, type SkinMaps, type SkinView } from '@avatarme/pipeline/skin-render/skin-render.ts';
import { multiply } from '@avatarme/pipeline/skin-render/math.ts';
import type { IblEnvironment } from '@avatarme/pipeline/skin-render/ibl-environment.ts';
import type { Subject } from './gltf.ts';
import {
  ita,
  labOf,
  maskedMean,
  meanAngularErrorDeg,
  meanDeltaE2000,
  psnr,
  rmse,
  scaleInvariantRmse,
  ssim,
  type FloatImage,
} from './metrics.ts';
import { srgbToLinear } from '@avatarme/pipeline/math/colour.ts';
import { bakeShadingNormals, decodeBakedNormals } from './normals-bake.ts';
import { alignSimilarity, shapeError, type ShapeError } from './shape.ts';
import { interpolate, rasteriseUv } from './uv-raster.ts';
import { similarityMatrix, type Camera } from './views.ts';

export interface Method {
  name: string;
  mesh: TexturedMesh;
  maps: SkinMaps;
  /** Given: the similarity to the subject is known (the subject passed through); else aligned here. */
  alignment?: Similarity;
}

export interface MethodScore {
  shape: ShapeError;
  /** The similarity that took our mesh onto the subject. */
  alignment: Similarity;
  /** Share of the subject's face pixels our surface covers (mean over the map views). */
  coverage: number;
  albedoSiRmse: number;
  albedoDeltaE: number;
  /** ITA° of our mean face albedo minus the subject's (signed), mean over the map views. */
  itaErrorDeg: number;
  specularRmse: number;
  diffuseNormalDeg: number;
  specularNormalDeg: number;
  relightPsnr: number;
  relightSsim: number;
  identity: number | null;
}

export interface ScoreImages {
  /** ITA° of the subject's mean face albedo from the photo's camera. */
  subjectIta: number;
  /** Subject and each method under the first relighting environment from the first novel view. */
  relit: Record<string, Float32Array>;
  faceMask: Float32Array;
  size: number;
}

async function renderFloat(renderer: SkinRenderer, view: SkinView): Promise<Float32Array> {
  const t = renderer.render(view);
  try {
    return await t.read();
  } finally {
    t.dispose();
  }
}

function planeImage(size: number, data: Float32Array, channels = 4): FloatImage {
  return { width: size, height: size, channels, data };
}

function decodeLinear(rgba: Float32Array): Float32Array {
  return Float32Array.from(rgba, (v, i) => (i % 4 === 3 ? v : srgbToLinear(v)));
}

/** Renders of one surface: per camera its maps, shading normals and relit images. */
class SurfaceRenders {
  private main: SkinRenderer;
  private normals: [SkinRenderer, SkinRenderer];
  constructor(
    ctx: KernelContext,
    mesh: TexturedMesh,
    maps: SkinMaps,
    private alignment: Float32Array | undefined,
  ) {
    this.main = SkinRenderer.create(ctx, mesh, maps);
    // The shading normals, baked per texel in the mesh's frame, drawn by the plain albedo view.
    this.normals = [maps.diffuseNormals, maps.specularNormals].map((m) =>
      SkinRenderer.create(ctx, mesh, { ...maps, diffuseAlbedo: bakeShadingNormals(mesh, m) }),
    ) as [SkinRenderer, SkinRenderer];
  }
  private model(camera: Camera): Float32Array {
    return this.alignment ? multiply(camera.model, this.alignment) : camera.model;
  }
  private view(camera: Camera, size: number, extra: Partial<SkinView>): SkinView {
    return {
      width: size,
      height: size,
      viewProj: camera.viewProj,
      eye: camera.eye,
      model: this.model(camera),
      background: [0, 0, 0, 0],
      ...extra,
    };
  }
  async albedo(camera: Camera, size: number): Promise<Float32Array> {
    return decodeLinear(await renderFloat(this.main, this.view(camera, size, { mode: 'diffuseAlbedo' })));
  }
  async maps(camera: Camera, size: number) {
    const albedo = await this.albedo(camera, size);
    const specular = await renderFloat(this.main, this.view(camera, size, { mode: 'specularAlbedo' }));
    const normals: Float32Array[] = [];
    for (const r of this.normals)
      normals.push(
        decodeBakedNormals(
          await renderFloat(r, this.view(camera, size, { mode: 'diffuseAlbedo' })),
          this.model(camera),
        ),
      );
    return { albedo, specular, nd: normals[0], ns: normals[1] };
  }
  relit(camera: Camera, size: number, environment: IblEnvironment): Promise<Float32Array> {
    return renderFloat(this.main, this.view(camera, size, { mode: 'full', environment }));
  }
  dispose(): void {
    this.main.dispose();
    for (const r of this.normals) r.dispose();
  }
}

/** The subject's face region as an image: its per-vertex mask painted into UV space and rendered. */
async function faceMaskRenders(
  ctx: KernelContext,
  subject: Subject,
  cameras: Camera[],
  size: number,
): Promise<Float32Array[]> {
  const tex = 256;
  const raster = rasteriseUv(subject.mesh.uvs, subject.mesh.triangles, tex);
  const m = interpolate(raster, subject.mesh.triangles, subject.faceVertices, 1);
  const data = new Uint8ClampedArray(tex * tex * 4);
  for (let i = 0; i < tex * tex; i++) data.set([m[i] > 0.5 ? 255 : 0, 0, 0, 255], 4 * i);
  const img = { width: tex, height: tex, data };
  const r = new SurfaceRenders(ctx, subject.mesh, { ...subject.maps, diffuseAlbedo: img }, undefined);
  try {
    const out: Float32Array[] = [];
    for (const c of cameras) {
      const albedo = await r.albedo(c, size);
      out.push(
        Float32Array.from({ length: size * size }, (_, i) =>
          albedo[4 * i + 3] > 0.5 && albedo[4 * i] > 0.5 ? 1 : 0,
        ),
      );
    }
    return out;
  } finally {
    r.dispose();
  }
}

/** Subject face points for alignment and the shape error (every face vertex, thinned to at most `max`). */
export function facePoints(subject: Subject, max = 3000): Float32Array {
  const ids: number[] = [];
  subject.faceVertices.forEach((v, i) => v > 0.5 && ids.push(i));
  const step = Math.max(1, Math.ceil(ids.length / max));
  const kept = ids.filter((_, j) => j % step === 0);
  const out = new Float32Array(kept.length * 3);
  kept.forEach((v, j) => out.set(subject.mesh.positions.subarray(3 * v, 3 * v + 3), 3 * j));
  return out;
}

export interface ScoreOptions {
  /** Cameras of the map metrics (the photo's first, then the novel views). */
  mapCameras: Camera[];
  /** Cameras of the relighting metric (novel views only). */
  relightCameras: Camera[];
  size: number;
  /** The relighting environments (RELIGHT_ENVIRONMENTS, loaded by the caller, which owns them). */
  relightEnvironments: IblEnvironment[];
  /** FaceRes cosine between renders: given by the caller (it owns the face models). */
  identity?: (subject: Float32Array, ours: Float32Array, size: number) => Promise<number | null>;
}

export async function scoreMethods(
  ctx: KernelContext,
  subject: Subject,
  methods: Method[],
  o: ScoreOptions,
): Promise<{ scores: Record<string, MethodScore>; images: ScoreImages }> {
  const size = o.size;
  const points = facePoints(subject);
  const masks = await faceMaskRenders(ctx, subject, o.mapCameras, size);
  const relightMasks = await faceMaskRenders(ctx, subject, o.relightCameras, size);
  const subjectR = new SurfaceRenders(ctx, subject.mesh, subject.maps, undefined);
  const images: ScoreImages = { subjectIta: NaN, relit: {}, faceMask: relightMasks[0], size };
  try {
    const truthMaps = [];
    for (const c of o.mapCameras) truthMaps.push(await subjectR.maps(c, size));
    const truthRelit: Float32Array[][] = [];
    for (const c of o.relightCameras) {
      const row = [];
      for (const env of o.relightEnvironments) row.push(await subjectR.relit(c, size, env));
      truthRelit.push(row);
    }
    images.relit.subject = truthRelit[0][0];
    images.subjectIta = ita(labOf(maskedMean(planeImage(size, truthMaps[0].albedo), masks[0])));
    const scores: Record<string, MethodScore> = {};
    for (const m of methods) {
      const sim =
        m.alignment ??
        alignSimilarity(m.mesh.positions, subject.mesh.positions, subject.faceVertices, {
          scale: m.mesh.metresPerUnit / subject.mesh.metresPerUnit,
          radius: 0.03 / subject.mesh.metresPerUnit,
        });
      const tAlign = performance.now();
      const shape = shapeError(
        points,
        applySimilarity(sim, m.mesh.positions),
        m.mesh.triangles,
        subject.mesh.metresPerUnit,
      );
      console.log(
        `[eval] ${m.name}: alignment and shape ${((performance.now() - tAlign) / 1000).toFixed(1)} s`,
      );
      const r = new SurfaceRenders(ctx, m.mesh, m.maps, similarityMatrix(sim));
      try {
        const acc = {
          coverage: [] as number[],
          si: [] as number[],
          de: [] as number[],
          ita: [] as number[],
          spec: [] as number[],
          nd: [] as number[],
          ns: [] as number[],
        };
        for (let v = 0; v < o.mapCameras.length; v++) {
          const ours = await r.maps(o.mapCameras[v], size);
          const truth = truthMaps[v];
          const face = masks[v];
          const mask = Float32Array.from(face, (f, i) => (f > 0.5 && ours.albedo[4 * i + 3] > 0.5 ? 1 : 0));
          const faceCount = face.reduce((s, x) => s + x, 0);
          acc.coverage.push(faceCount ? mask.reduce((s, x) => s + x, 0) / faceCount : NaN);
          const [a, t] = [planeImage(size, ours.albedo), planeImage(size, truth.albedo)];
          acc.si.push(scaleInvariantRmse(a, t, mask));
          acc.de.push(meanDeltaE2000(a, t, mask));
          acc.ita.push(ita(labOf(maskedMean(a, mask))) - ita(labOf(maskedMean(t, mask))));
          acc.spec.push(rmse(planeImage(size, ours.specular), planeImage(size, truth.specular), mask, 1));
          acc.nd.push(meanAngularErrorDeg(planeImage(size, ours.nd), planeImage(size, truth.nd), mask));
          acc.ns.push(meanAngularErrorDeg(planeImage(size, ours.ns), planeImage(size, truth.ns), mask));
        }
        const p: number[] = [];
        const s: number[] = [];
        let identity: number | null = null;
        for (let v = 0; v < o.relightCameras.length; v++)
          for (let e = 0; e < o.relightEnvironments.length; e++) {
            const ours = await r.relit(o.relightCameras[v], size, o.relightEnvironments[e]);
            const truth = truthRelit[v][e];
            // Over the subject's whole face: where we have no surface the background counts as error.
            p.push(psnr(planeImage(size, ours), planeImage(size, truth), relightMasks[v]));
            s.push(ssim(planeImage(size, ours), planeImage(size, truth), relightMasks[v]));
            if (v === 0 && e === 0) {
              images.relit[m.name] = ours;
              if (o.identity) identity = await o.identity(truth, ours, size);
            }
          }
        const avg = (x: number[]) => x.reduce((q, y) => q + y, 0) / x.length;
        scores[m.name] = {
          shape,
          alignment: sim,
          coverage: avg(acc.coverage),
          albedoSiRmse: avg(acc.si),
          albedoDeltaE: avg(acc.de),
          itaErrorDeg: avg(acc.ita),
          specularRmse: avg(acc.spec),
          diffuseNormalDeg: avg(acc.nd),
          specularNormalDeg: avg(acc.ns),
          relightPsnr: avg(p.map((x) => Math.min(x, 99))),
          relightSsim: avg(s),
          identity,
        };
      } finally {
        r.dispose();
      }
    }
    return { scores, images };
  } finally {
    subjectR.dispose();
  }
}
