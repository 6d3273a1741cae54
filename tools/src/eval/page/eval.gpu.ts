/**
 * Page side of `npm run eval`: makes subjects, renders their photos, runs reconstruct on them, scores
 * the reconstructions and the baselines, and draws the contact sheets. Node only reads and writes files.
 */
import { KernelContext, positionBounds } from '@avatarme/kernels';
import type { TexturedMesh } from '@avatarme/pipeline/export/mesh.ts';
import { detectFaces, faceDescriptor, FaceModels, uploadFaceImage } from '@avatarme/pipeline/face/index.ts';
import { prepareHead } from '@avatarme/pipeline/head/prepare.ts';
import { ICT_METRES_PER_UNIT } from '@avatarme/pipeline/head/export.ts';
import { decodeImage, type RgbaImage } from '@avatarme/pipeline/image/codec.ts';
import { vertexNormals } from '@avatarme/pipeline/mesh/normals.ts';
import {
  fetchModelReader,
  loadMorphableModel,
  type ModelFileReader,
} from '@avatarme/pipeline/morphable/load.ts';
import type { MorphableModel } from '@avatarme/pipeline/morphable/model.ts';
import { gatherPositions } from '@avatarme/pipeline/morphable/uv-mesh.ts';
import { reconstruct } from '@avatarme/pipeline/reconstruct/reconstruct.ts';
import type { ReconstructionResult, ReconstructOptions } from '@avatarme/pipeline/reconstruct/types.ts';
import { SkinRenderer, type SkinMaps } from '@avatarme/pipeline/skin-render/skin-render.ts';
import { decodeRgbe } from '@avatarme/pipeline/skin-render/hdr.ts';
import { IblEnvironment } from '@avatarme/pipeline/skin-render/ibl-environment.ts';
import forestUrl from '../hdri/forest.hdr?url';
import lobbyUrl from '../hdri/lobby.hdr?url';
import sunsetUrl from '../hdri/sunset.hdr?url';
import { lookAt, multiply, perspective } from '@avatarme/pipeline/skin-render/math.ts';
import { readSubjectGlb, writeSubjectGlb, type Subject } from '../gltf.ts';
import { cosine } from '../metrics.ts';
import { scoreMethods, type Method, type MethodScore } from '../score.ts';
import { rng } from '@avatarme/kernels/core/random.ts';
import { generateSubject } from '../subject.ts';
import { rasteriseUv } from '../uv-raster.ts';
import {
  NOVEL_VIEWS,
  orbitCamera,
  photoCamera,
  PHOTO_ENVIRONMENTS,
  RELIGHT_ENVIRONMENTS,
  type PhotoEnvironmentName,
  type Pose,
} from '../views.ts';

/** Model files are read once per page and shared by every fit (the head is 50 MB of modes). */
const readers = new Map<string, ModelFileReader>();
export function cachedReader(url: string): ModelFileReader {
  let r = readers.get(url);
  if (!r) {
    const base = fetchModelReader(url);
    const files = new Map<string, Promise<ArrayBuffer>>();
    r = (name) => {
      let f = files.get(name);
      if (!f) files.set(name, (f = base(name)));
      return f.then((b) => b.slice(0));
    };
    readers.set(url, r);
  }
  return r;
}
const models = new Map<string, Promise<MorphableModel>>();
export function headModel(url: string): Promise<MorphableModel> {
  let m = models.get(url);
  if (!m) models.set(url, (m = loadMorphableModel(cachedReader(url))));
  return m;
}

const PHOTO_ENVIRONMENT_URLS: Record<PhotoEnvironmentName, string> = {
  forest: forestUrl,
  lobby: lobbyUrl,
  sunset: sunsetUrl,
};

/** HDR environments, decoded and prefiltered once per page (keyed by name). */
const environments = new Map<string, Promise<IblEnvironment>>();
function photoEnvironment(ctx: KernelContext, name: PhotoEnvironmentName): Promise<IblEnvironment> {
  let e = environments.get(name);
  if (!e) {
    e = fetch(PHOTO_ENVIRONMENT_URLS[name])
      .then((r) => r.arrayBuffer())
      .then((b) => IblEnvironment.create(ctx, decodeRgbe(new Uint8Array(b), `${name}.hdr`), name));
    environments.set(name, e);
  }
  return e;
}
function relightEnvironments(ctx: KernelContext): Promise<IblEnvironment[]> {
  return Promise.all(
    RELIGHT_ENVIRONMENTS.map((name) => {
      let e = environments.get(name);
      if (!e) environments.set(name, (e = IblEnvironment.load(ctx, name)));
      return e;
    }),
  );
}

let shared: { device: GPUDevice; ctx: KernelContext; faces: FaceModels } | undefined;
export function sharedContext(device: GPUDevice) {
  if (shared?.device !== device) {
    shared = { device, ctx: new KernelContext(device), faces: undefined! };
    environments.clear();
  }
  shared.faces ??= new FaceModels(shared.ctx);
  return shared;
}

export async function makeSubject(
  _device: GPUDevice,
  a: { modelUrl: string; seed: number; ita: number; melanin: number; size: number },
): Promise<{ glb: Uint8Array; meta: Record<string, unknown> }> {
  const model = await headModel(a.modelUrl);
  const s = generateSubject(model, { seed: a.seed, ita: a.ita, melanin: a.melanin, size: a.size });
  return { glb: await writeSubjectGlb(s), meta: s.meta };
}

function toRgba8(rgba: Float32Array, size: number): RgbaImage {
  return {
    width: size,
    height: size,
    data: Uint8ClampedArray.from(rgba, (v, i) => (i % 4 === 3 ? 255 : v * 255)),
  };
}

const flat = (v: number[]): RgbaImage => ({
  width: 1,
  height: 1,
  data: Uint8ClampedArray.from(v.map((c) => c * 255)),
});
const FLAT_NORMAL = flat([0.5, 0.5, 1, 1]);
/** Flat specular of the baselines: mid-range of the renderer's specular albedo. */
const FLAT_SPECULAR = flat([0.3, 0.3, 0.3, 1]);

export function centreOf(subject: Subject): number[] {
  const { lo, hi } = positionBounds(subject.mesh.positions, (v) => subject.faceVertices[v] >= 0.5);
  // Behind the face by half its depth: the head turns about its middle, not the nose.
  return [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, lo[2] - 0.03];
}

/**
 * The subject under one of the photo environments (chosen and turned by the seed), with the renderer's
 * key light and its shadow, over a background, with sensor noise and JPEG. The noise is
 * signal-dependent Gaussian (Foi et al., "Practical Poissonian-Gaussian noise modeling and fitting for
 * single-image raw-data", IEEE TIP 2008; a = 0.0004, b = 0.00002 chosen for a phone in daylight).
 */
async function photograph(
  ctx: KernelContext,
  subject: Subject,
  pose: Pose,
  size: number,
  seed: number,
): Promise<Uint8Array> {
  const environment = await photoEnvironment(ctx, PHOTO_ENVIRONMENTS[seed % PHOTO_ENVIRONMENTS.length]);
  return photographUnder(ctx, subject, pose, size, seed, environment);
}

/**
 * `photograph` under any HDR environment, optionally with the key light turned to another direction
 * (the training data's photos: environments and lights no evaluation photo uses).
 */
export async function photographUnder(
  ctx: KernelContext,
  subject: Subject,
  pose: Pose,
  size: number,
  seed: number,
  environment: IblEnvironment,
  light: { direction?: [number, number, number] } = {},
): Promise<Uint8Array> {
  const cam = photoCamera(centreOf(subject), pose);
  const rand = rng(seed);
  const r = SkinRenderer.create(ctx, subject.mesh, subject.maps);
  let rgba: Float32Array;
  try {
    const t = r.render({
      width: size,
      height: size,
      viewProj: cam.viewProj,
      eye: cam.eye,
      model: cam.model,
      environment,
      environmentRotation: 2 * Math.PI * rand(),
      lightDirection: light.direction,
      background: [0, 0, 0, 0],
    });
    rgba = await t.read();
    t.dispose();
  } finally {
    r.dispose();
  }
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const top = [0.35 + 0.3 * rand(), 0.35 + 0.3 * rand(), 0.35 + 0.3 * rand()];
  const bottom = top.map((c) => c * 0.6);
  const data = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const a = rgba[4 * i + 3];
      for (let k = 0; k < 3; k++) {
        const bg = top[k] + ((bottom[k] - top[k]) * y) / size;
        const v = a * rgba[4 * i + k] + (1 - a) * bg;
        data[4 * i + k] = (v + Math.sqrt(0.0004 * v + 0.00002) * gauss()) * 255;
      }
      data[4 * i + 3] = 255;
    }
  const canvas = new OffscreenCanvas(size, size);
  canvas.getContext('2d')!.putImageData(new ImageData(data, size, size), 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
  return new Uint8Array(await blob.arrayBuffer());
}

function mapsOf(r: ReconstructionResult): SkinMaps {
  return {
    diffuseAlbedo: r.maps.diffuseAlbedo,
    specularAlbedo: r.maps.specularAlbedo,
    diffuseNormals: r.maps.diffuseNormals,
    specularNormals: r.maps.specularNormals,
    roughness: r.maps.roughness,
  };
}

/** The model's mean head on the head atlas (centimetres), for baseline (a). */
function meanHead(model: MorphableModel): TexturedMesh {
  const { topology } = prepareHead(model);
  return {
    positions: gatherPositions(model.neutral, topology.sourceVertex),
    normals: gatherPositions(vertexNormals(model.neutral, topology.modelTriangles), topology.sourceVertex),
    uvs: topology.uvs,
    triangles: topology.triangles,
    metresPerUnit: ICT_METRES_PER_UNIT,
  };
}

/** Mean colour (sRGB, 8-bit) of the unwrapped photo over the seen texels of the head atlas's face cell. */
function meanSeenColour(r: ReconstructionResult): number[] {
  const { uvTexture: t, visibility: v } = r.maps;
  const s = [0, 0, 0];
  let n = 0;
  for (let y = 0; y < (t.height * 2) / 3; y++)
    for (let x = 0; x < (t.width * 2) / 3; x++) {
      const i = y * t.width + x;
      if (v.data[4 * i] < 128) continue;
      for (let k = 0; k < 3; k++) s[k] += t.data[4 * i + k];
      n++;
    }
  return n ? s.map((c) => c / n / 255) : [0.6, 0.45, 0.4];
}

async function identityOf(
  faces: FaceModels,
  ctx: KernelContext,
  a: RgbaImage,
  b: RgbaImage,
): Promise<number | null> {
  const ia = uploadFaceImage(ctx, a);
  const ib = uploadFaceImage(ctx, b);
  try {
    const found = await detectFaces(faces, ia);
    if (!found.length) return null;
    const [da, db] = [await faceDescriptor(faces, ia, found[0]), await faceDescriptor(faces, ib, found[0])];
    return cosine(da, db);
  } finally {
    ia.tensor.dispose();
    ib.tensor.dispose();
  }
}

export interface PhotoArgs {
  subject: Uint8Array;
  file: string;
  pose: Pose;
  photoSize: number;
  evalSize: number;
  uvSize: number;
  modelUrl: string;
  /** Extra options of our reconstruction (upscale, superResolution, completion). */
  reconstruct?: Partial<ReconstructOptions>;
  seed: number;
  /** Run baseline (c), the FaceMesh-shape reconstruction (a second reconstruct of the photo). */
  faceMesh: boolean;
  /**
   * Also score "ours: learned": our reconstruction with the reflectance networks of this weights URL
   * (one more reconstruct of the same photo), beside "ours" with its own options.
   */
  learnedWeights?: string;
}

export interface PhotoResult {
  subjectIta: number;
  scores: Record<string, MethodScore>;
  failed: Record<string, string>;
  photo: Uint8Array;
  sheet: Uint8Array;
  seconds: Record<string, number>;
}

async function tryReconstruct(
  device: GPUDevice,
  photo: Uint8Array,
  options: ReconstructOptions,
  failed: Record<string, string>,
  name: string,
) {
  try {
    return await reconstruct(device, photo, options);
  } catch (e) {
    failed[name] = (e as Error).message.split('\n')[0];
    return undefined;
  }
}

/** One photo of one subject: render it, reconstruct it two ways, score ours and the three baselines. */
export async function evaluatePhoto(device: GPUDevice, a: PhotoArgs): Promise<PhotoResult> {
  const { ctx, faces } = sharedContext(device);
  const t0 = performance.now();
  const seconds: Record<string, number> = {};
  const lap = (k: string, t: number) => (seconds[k] = (performance.now() - t) / 1000);
  const subject = await readSubjectGlb(a.subject, a.file);
  const model = await headModel(a.modelUrl);
  const photo = await photograph(ctx, subject, a.pose, a.photoSize, a.seed);
  lap('photo', t0);
  const failed: Record<string, string> = {};
  let t = performance.now();
  const ours = await tryReconstruct(
    device,
    photo,
    { uvSize: a.uvSize, faceModel: cachedReader(a.modelUrl), name: a.file, ...a.reconstruct },
    failed,
    'ours',
  );
  lap('reconstruct', t);
  t = performance.now();
  const faceMesh = !a.faceMesh
    ? undefined
    : await tryReconstruct(
        device,
        photo,
        { uvSize: a.uvSize, name: a.file, shape: 'facemesh' } as ReconstructOptions,
        failed,
        'c: facemesh',
      );
  lap('reconstructFaceMesh', t);
  t = performance.now();
  const learned = !a.learnedWeights
    ? undefined
    : await tryReconstruct(
        device,
        photo,
        {
          uvSize: a.uvSize,
          faceModel: cachedReader(a.modelUrl),
          name: a.file,
          ...a.reconstruct,
          weights: a.learnedWeights,
        },
        failed,
        'ours: learned',
      );
  lap('reconstructLearned', t);
  const methods: Method[] = [];
  if (ours) {
    const colour = meanSeenColour(ours);
    methods.push(
      { name: 'ours', mesh: ours.mesh, maps: mapsOf(ours) },
      {
        name: 'a: mean head',
        mesh: meanHead(model),
        maps: {
          diffuseAlbedo: flat([...colour, 1]),
          specularAlbedo: FLAT_SPECULAR,
          diffuseNormals: FLAT_NORMAL,
          specularNormals: FLAT_NORMAL,
        },
      },
      {
        name: 'b: photo texture',
        mesh: ours.mesh,
        maps: {
          diffuseAlbedo: ours.maps.uvTexture,
          specularAlbedo: FLAT_SPECULAR,
          diffuseNormals: FLAT_NORMAL,
          specularNormals: FLAT_NORMAL,
        },
      },
    );
  }
  if (learned) methods.push({ name: 'ours: learned', mesh: learned.mesh, maps: mapsOf(learned) });
  if (faceMesh) methods.push({ name: 'c: facemesh', mesh: faceMesh.mesh, maps: mapsOf(faceMesh) });
  t = performance.now();
  const centre = centreOf(subject);
  const photoCam = photoCamera(centre, a.pose);
  const novel = NOVEL_VIEWS.map(([az, el]) => orbitCamera(centre, az, el));
  const size = a.evalSize;
  const { scores, images } = await scoreMethods(ctx, subject, methods, {
    mapCameras: [photoCam, ...novel],
    relightCameras: novel,
    relightEnvironments: await relightEnvironments(ctx),
    size,
    identity: (s, o, n) => identityOf(faces, ctx, toRgba8(s, n), toRgba8(o, n)),
  });
  lap('score', t);
  const photoImage = await decodeImage(photo, a.file);
  const sheet = await contactSheet(
    photoImage,
    images.relit,
    images.faceMask,
    size,
    methods.map((m) => m.name),
  );
  lap('total', t0);
  return { subjectIta: images.subjectIta, scores, failed, photo, sheet, seconds };
}

/** Error heat map: |ours − subject| (mean over RGB, ×4) from blue through yellow to red, face only. */
function heatMap(ours: Float32Array, truth: Float32Array, mask: Float32Array, size: number): RgbaImage {
  const data = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    if (mask[i] < 0.5) {
      data.set([24, 24, 24, 255], 4 * i);
      continue;
    }
    const e = Math.min(
      1,
      ((Math.abs(ours[4 * i] - truth[4 * i]) +
        Math.abs(ours[4 * i + 1] - truth[4 * i + 1]) +
        Math.abs(ours[4 * i + 2] - truth[4 * i + 2])) /
        3) *
        4,
    );
    data.set(
      [
        255 * Math.min(1, 2 * e),
        255 * Math.min(1, 2 - 2 * e) * Math.min(1, 2 * e + 0.3),
        255 * (1 - e) * (e < 0.5 ? 1 : 0),
        255,
      ],
      4 * i,
    );
  }
  return { width: size, height: size, data };
}

/** photo | subject | each method (first novel view, studio light) | heat map of ours. */
async function contactSheet(
  photo: RgbaImage,
  relit: Record<string, Float32Array>,
  mask: Float32Array,
  size: number,
  names: string[],
): Promise<Uint8Array> {
  const tiles: [string, RgbaImage][] = [
    ['photo', photo],
    ['subject (novel view, studio)', toRgba8(relit.subject, size)],
  ];
  for (const n of names) if (relit[n]) tiles.push([n, toRgba8(relit[n], size)]);
  if (relit.ours) tiles.push(['|ours − subject| ×4', heatMap(relit.ours, relit.subject, mask, size)]);
  const label = 18;
  const canvas = new OffscreenCanvas(tiles.length * size, size + label);
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#101010';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = '#e0e0e0';
  g.font = '12px sans-serif';
  for (let i = 0; i < tiles.length; i++) {
    const [name, img] = tiles[i];
    const bitmap = await createImageBitmap(
      new ImageData(img.data as Uint8ClampedArray<ArrayBuffer>, img.width, img.height),
    );
    g.drawImage(bitmap, i * size, label, size, size);
    g.fillText(name, i * size + 4, 13);
  }
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return new Uint8Array(await blob.arrayBuffer());
}

/** A frontal (or turned) full render of a mesh in its own units, framed like the product's render.png. */
async function portrait(
  ctx: KernelContext,
  mesh: TexturedMesh,
  maps: SkinMaps,
  yawDeg: number,
  size: number,
): Promise<RgbaImage> {
  const { lo, hi, centre } = positionBounds(mesh.positions);
  // Frame the face (the front 60 % of the head's height) rather than the whole head.
  const radius = (hi[1] - lo[1]) * 0.35;
  const fov = Math.PI / 6;
  const d = (radius / Math.tan(fov / 2)) * 1.1;
  const yaw = (yawDeg * Math.PI) / 180;
  const target = [centre[0], centre[1] + radius * 0.2, hi[2] - radius];
  const eye: [number, number, number] = [
    target[0] + d * Math.sin(yaw),
    target[1],
    target[2] + d * Math.cos(yaw),
  ];
  const r = SkinRenderer.create(ctx, mesh, maps);
  try {
    const t = r.render({
      width: size,
      height: size,
      viewProj: multiply(perspective(fov, 1, d / 50, d * 50), lookAt(eye, target, [0, 1, 0])),
      eye,
      environment: 'studio',
      background: [0.5, 0.5, 0.5, 1],
    });
    const data = await t.read();
    t.dispose();
    return toRgba8(data, size);
  } finally {
    r.dispose();
  }
}

/**
 * A real photo (no truth): FaceRes cosine between the photo's face and the avatar alone (no photo
 * pixels), frontal and turned 30°, for ours (with the options under test), ours with the learned
 * reflectance when its weights are given, and baseline (a).
 */
export async function evaluateRealPhoto(
  device: GPUDevice,
  a: {
    bytes: Uint8Array;
    name: string;
    modelUrl: string;
    uvSize: number;
    size: number;
    reconstruct: Partial<ReconstructOptions>;
    learnedWeights?: string;
  },
): Promise<{
  identity: Record<string, { frontal: number | null; yaw30: number | null }>;
  sheet: Uint8Array;
}> {
  const { ctx, faces } = sharedContext(device);
  const model = await headModel(a.modelUrl);
  const options: ReconstructOptions = {
    uvSize: a.uvSize,
    faceModel: cachedReader(a.modelUrl),
    name: a.name,
    ...a.reconstruct,
  };
  const ours = await reconstruct(device, a.bytes, options);
  const colour = meanSeenColour(ours);
  const learned = a.learnedWeights
    ? await reconstruct(device, a.bytes, { ...options, weights: a.learnedWeights })
    : undefined;
  const methods: [string, TexturedMesh, SkinMaps][] = [
    ['ours', ours.mesh, mapsOf(ours)],
    ...(learned
      ? [['ours: learned', learned.mesh, mapsOf(learned)] as [string, TexturedMesh, SkinMaps]]
      : []),
    [
      'a: mean head',
      meanHead(model),
      {
        diffuseAlbedo: flat([...colour, 1]),
        specularAlbedo: FLAT_SPECULAR,
        diffuseNormals: FLAT_NORMAL,
        specularNormals: FLAT_NORMAL,
      },
    ],
  ];
  const photo = await decodeImage(a.bytes, a.name, { maxSide: 1024 });
  const pf = uploadFaceImage(ctx, photo);
  const found = await detectFaces(faces, pf);
  const photoDescriptor = found.length ? await faceDescriptor(faces, pf, found[0]) : undefined;
  pf.tensor.dispose();
  const identity: Record<string, { frontal: number | null; yaw30: number | null }> = {};
  const renders: [string, RgbaImage][] = [];
  for (const [name, mesh, maps] of methods) {
    const scoreOf = async (img: RgbaImage) => {
      if (!photoDescriptor) return null;
      const f = uploadFaceImage(ctx, img);
      try {
        const det = await detectFaces(faces, f);
        return det.length ? cosine(photoDescriptor, await faceDescriptor(faces, f, det[0])) : null;
      } finally {
        f.tensor.dispose();
      }
    };
    const frontal = await portrait(ctx, mesh, maps, 0, a.size);
    const turned = await portrait(ctx, mesh, maps, 30, a.size);
    identity[name] = { frontal: await scoreOf(frontal), yaw30: await scoreOf(turned) };
    renders.push([`${name} frontal`, frontal], [`${name} 30°`, turned]);
  }
  const canvas = new OffscreenCanvas((renders.length + 1) * a.size, a.size + 18);
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#101010';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = '#e0e0e0';
  g.font = '12px sans-serif';
  const all: [string, RgbaImage][] = [['photo', photo], ...renders];
  for (let i = 0; i < all.length; i++) {
    const img = all[i][1];
    const bitmap = await createImageBitmap(
      new ImageData(img.data as Uint8ClampedArray<ArrayBuffer>, img.width, img.height),
    );
    const k = Math.min(a.size / img.width, a.size / img.height);
    g.drawImage(bitmap, i * a.size, 18, img.width * k, img.height * k);
    g.fillText(all[i][0], i * a.size + 4, 13);
  }
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return { identity, sheet: new Uint8Array(await blob.arrayBuffer()) };
}

/**
 * The metrics' own check (no photo, no reconstruct): the subject's maps and mesh passed through score
 * perfect; the mean head with a flat colour and a lit texture as albedo (Lambert under the photo's key
 * light baked in) score worse.
 */
export async function selfCheck(
  device: GPUDevice,
  a: { modelUrl: string; seed: number; melanin: number; ita: number; texture: number; size: number },
): Promise<{ scores: Record<string, MethodScore> }> {
  const { ctx } = sharedContext(device);
  const model = await headModel(a.modelUrl);
  const glb = await writeSubjectGlb(
    generateSubject(model, { seed: a.seed, ita: a.ita, melanin: a.melanin, size: a.texture }),
  );
  const subject = await readSubjectGlb(glb, 'self-check.glb');
  const identity = {
    scale: 1,
    rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1] as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ],
    translation: [0, 0, 0] as [number, number, number],
  };
  const lit = litAlbedo(subject);
  const centre = centreOf(subject);
  const novel = NOVEL_VIEWS.map(([az, el]) => orbitCamera(centre, az, el));
  const { scores } = await scoreMethods(
    ctx,
    subject,
    [
      { name: 'truth', mesh: subject.mesh, maps: subject.maps, alignment: identity },
      {
        name: 'lit albedo',
        mesh: subject.mesh,
        maps: { ...subject.maps, diffuseAlbedo: lit },
        alignment: identity,
      },
      {
        name: 'mean head',
        mesh: meanHead(model),
        maps: {
          diffuseAlbedo: flat([0.7, 0.55, 0.5, 1]),
          specularAlbedo: FLAT_SPECULAR,
          diffuseNormals: FLAT_NORMAL,
          specularNormals: FLAT_NORMAL,
        },
      },
    ],
    {
      mapCameras: [photoCamera(centre, { yaw: 0, pitch: 0 }), ...novel],
      relightCameras: novel,
      relightEnvironments: await relightEnvironments(ctx),
      size: a.size,
    },
  );
  return { scores };
}

/** A key light from the upper left, as in a typical portrait. */
const LIT_ALBEDO_LIGHT = [-0.5, 0.55, 0.67];

/** The subject's albedo times its Lambert shading under a key light: a texture with light baked in. */
function litAlbedo(subject: Subject): RgbaImage {
  const img = subject.maps.diffuseAlbedo;
  const size = img.width;
  // Shade by the vertex normals painted into UV space.
  const { normals, uvs, triangles } = subject.mesh;
  const out = new Uint8ClampedArray(img.data);
  const shade = new Float32Array(normals!.length / 3);
  const l = LIT_ALBEDO_LIGHT;
  const ll = Math.hypot(l[0], l[1], l[2]);
  for (let v = 0; v < shade.length; v++) {
    const d = (normals![3 * v] * l[0] + normals![3 * v + 1] * l[1] + normals![3 * v + 2] * l[2]) / ll;
    shade[v] = 0.35 + 0.9 * Math.max(0, d);
  }
  const raster = rasteriseUv(uvs, triangles, size);
  for (let i = 0; i < size * size; i++) {
    const t = raster.triangle[i];
    if (t < 0) continue;
    let s = 0;
    for (let k = 0; k < 3; k++) s += raster.weights[3 * i + k] * shade[triangles[3 * t + k]];
    for (let k = 0; k < 3; k++) {
      const lin = ((img.data[4 * i + k] / 255 + 0.055) / 1.055) ** 2.4 * s;
      out[4 * i + k] = 255 * (lin <= 0.0031308 ? 12.92 * lin : 1.055 * Math.min(1, lin) ** (1 / 2.4) - 0.055);
    }
  }
  return { width: size, height: img.height, data: out };
}
