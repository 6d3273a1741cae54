import { KernelContext, KernelError, Tensor, prefilterSpecular, shProject } from '@avatarme/kernels';
import apartmentUrl from './hdri/apartment.hdr?url';
import cityUrl from './hdri/city.hdr?url';
import studioUrl from './hdri/studio.hdr?url';
import { luminance } from '../math/colour.ts';
import { decodeRgbe, type HdrImage } from './hdr.ts';

/** The bundled CC0 environments (hdri/README.md). */
export const HDR_ENVIRONMENTS = { studio: studioUrl, city: cityUrl, apartment: apartmentUrl } as const;
export type HdrEnvironmentName = keyof typeof HDR_ENVIRONMENTS;
export const HDR_ENVIRONMENT_NAMES = Object.keys(HDR_ENVIRONMENTS) as HdrEnvironmentName[];

interface PreparedEnvironment {
  sh: Float32Array;
  scale: number;
  keyLight: IblEnvironment['keyLight'];
  prefiltered: Float32Array;
  shape: Tensor['shape'];
}

/** The bundled environments as IblEnvironment.load prepared them in this page, by name. */
const preparedEnvironments = new Map<string, PreparedEnvironment>();

const PREFILTER_LEVELS = 6;
const PREFILTER_HEIGHT = 32;
/**
 * GGX samples per prefiltered texel. Against a 16,384-sample estimate of the studio environment
 * (prefiltered at 16 rows; its small lights are ~500× its mean), 512 filtered samples are 2–8% off on
 * average at roughness 0.2–1 where 128 are 5–16%; prefiltering takes ~0.16 s longer on SwiftShader,
 * once per environment and page.
 */
const PREFILTER_SAMPLES = 512;

/**
 * An HDR environment ready to light the skin: radiance SH9 (diffuse irradiance), GGX-prefiltered
 * radiance (split-sum specular) and a key light along its brightest direction, all normalised so the
 * environment's mean radiance is 1 (exposure is then a separate, comparable setting).
 */
export class IblEnvironment {
  private constructor(
    readonly name: string,
    /** Radiance SH coefficients after normalisation, 9 × (r, g, b, 0). */
    readonly sh: Float32Array,
    /** [levels, h, 2h, 4]; level l has perceptual roughness l / (levels − 1). */
    readonly prefiltered: Tensor,
    /** Factor that took the file's radiance to mean 1 (a glTF viewer's environment intensity). */
    readonly scale: number,
    /** Towards the light, in the environment's frame (before rotation); irradiance of the key light. */
    readonly keyLight: { direction: [number, number, number]; irradiance: number },
  ) {}

  get levels(): number {
    return this.prefiltered.shape[0];
  }

  /** Decodes and preprocesses on the GPU; the caller disposes the result. */
  static async create(ctx: KernelContext, image: HdrImage, name = 'environment'): Promise<IblEnvironment> {
    if (image.width !== 2 * image.height)
      throw new KernelError(
        'IblEnvironment',
        `${name}: ${image.width}×${image.height} is not a 2:1 equirectangular map`,
      );
    const env = Tensor.fromArray(ctx, image.data, [1, image.height, image.width, 4], `${name}.radiance`);
    try {
      const sh = shProject(ctx, env);
      const raw = await sh.read();
      // Mean radiance over the sphere = L_00 · Y_00 (the other bands integrate to zero).
      const mean = ((raw[0] + raw[1] + raw[2]) / 3) * 0.282095;
      if (!(mean > 0)) throw new KernelError('IblEnvironment', `${name}: the environment is black`);
      const scale = 1 / mean;
      const scaled = raw.map((v) => v * scale);
      sh.dispose();
      const prefiltered = prefilterSpecular(ctx, env, {
        levels: PREFILTER_LEVELS,
        height: PREFILTER_HEIGHT,
        samples: PREFILTER_SAMPLES,
      });
      // Scaling the prefiltered radiance happens in the shader (env_scale), not in another pass.
      return new IblEnvironment(name, scaled, prefiltered, scale, keyLightOf(scaled));
    } finally {
      env.dispose();
    }
  }

  /**
   * One of the bundled environments (fetched from the page's own server, never the web). The first
   * load in a page keeps the preprocessed result on the CPU, so later runs in the same page (the CLI's
   * kept browser) upload it instead of preprocessing again; a built page's server also keeps it on
   * disk beside the bundle, per adapter, so a new page of the same build reads it back. The values
   * are the same either way.
   */
  static async load(ctx: KernelContext, name: HdrEnvironmentName): Promise<IblEnvironment> {
    const url = HDR_ENVIRONMENTS[name];
    if (!url)
      throw new KernelError(
        'IblEnvironment',
        `unknown environment "${name}" (have ${HDR_ENVIRONMENT_NAMES.join(', ')})`,
      );
    const fileName = preparedEnvironments.has(name) ? '' : await preparedFileName(ctx.device, name);
    const onDisk = fileName ? await readPrepared(fileName) : { route: false };
    const kept = preparedEnvironments.get(name) ?? onDisk.prepared;
    if (kept) {
      preparedEnvironments.set(name, kept);
      const prefiltered = Tensor.fromArray(ctx, kept.prefiltered, kept.shape, `${name}.prefiltered`);
      return new IblEnvironment(name, kept.sh, prefiltered, kept.scale, kept.keyLight);
    }
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${name}.hdr: HTTP ${response.status}`);
    const env = await IblEnvironment.create(
      ctx,
      decodeRgbe(new Uint8Array(await response.arrayBuffer()), `${name}.hdr`),
      name,
    );
    const prepared = {
      sh: env.sh,
      scale: env.scale,
      keyLight: env.keyLight,
      prefiltered: await env.prefiltered.read(),
      shape: env.prefiltered.shape,
    };
    preparedEnvironments.set(name, prepared);
    if (onDisk.route) await writePrepared(fileName, prepared);
    return env;
  }

  dispose(): void {
    this.prefiltered.dispose();
  }
}

/** The page server's route for files derived from the bundle (browser-runtime's startStaticServer). */
const PAGE_DATA = '/__page-data/';
/** Bumped when the file's layout changes (its contents are keyed by the bundle's folder). */
const PREPARED_FORMAT = 1;

/**
 * One file per environment and adapter: another adapter's arithmetic gives other bits, and the
 * preprocessing settings are part of the name so a file never stands for other settings.
 */
async function preparedFileName(device: GPUDevice, name: string): Promise<string> {
  const info = device.adapterInfo;
  const key = JSON.stringify([
    PREPARED_FORMAT,
    info?.vendor,
    info?.architecture,
    info?.device,
    info?.description,
    PREFILTER_LEVELS,
    PREFILTER_HEIGHT,
    PREFILTER_SAMPLES,
  ]);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)));
  const hex = [...digest.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `ibl-${name}-${hex}.bin`;
}

/**
 * The file: u32 (LE) header length, the header (JSON: scale and key light as JSON numbers, which
 * keep every bit of a double, the prefiltered shape), zero padding to 4 bytes, the 36 SH floats, the
 * prefiltered floats.
 */
function encodePrepared(p: PreparedEnvironment): Uint8Array<ArrayBuffer> {
  const header = new TextEncoder().encode(
    JSON.stringify({ scale: p.scale, keyLight: p.keyLight, shape: p.shape, sh: p.sh.length }),
  );
  const at = Math.ceil((4 + header.byteLength) / 4) * 4;
  const out = new Uint8Array(at + 4 * (p.sh.length + p.prefiltered.length));
  new DataView(out.buffer).setUint32(0, header.byteLength, true);
  out.set(header, 4);
  new Float32Array(out.buffer, at, p.sh.length).set(p.sh);
  new Float32Array(out.buffer, at + 4 * p.sh.length, p.prefiltered.length).set(p.prefiltered);
  return out;
}

function decodePrepared(bytes: Uint8Array): PreparedEnvironment | undefined {
  try {
    const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    const h = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length))) as {
      scale: number;
      keyLight: IblEnvironment['keyLight'];
      shape: Tensor['shape'];
      sh: number;
    };
    const at = Math.ceil((4 + length) / 4) * 4;
    const count = h.shape.reduce((a, b) => a * b, 1);
    if (bytes.byteLength !== at + 4 * (h.sh + count)) return undefined;
    const floats = new Float32Array(bytes.slice(at).buffer);
    return {
      sh: floats.slice(0, h.sh),
      scale: h.scale,
      keyLight: h.keyLight,
      prefiltered: floats.slice(h.sh),
      shape: h.shape,
    };
  } catch {
    return undefined;
  }
}

/**
 * The kept file, if any, and whether the server has the route at all (the tests' dev server has not:
 * it answers with its index page).
 */
async function readPrepared(fileName: string): Promise<{ prepared?: PreparedEnvironment; route: boolean }> {
  try {
    const response = await fetch(PAGE_DATA + fileName);
    if (!response.headers.get('x-avatarme-page-data')) return { route: false };
    if (!response.ok) return { route: true };
    return { prepared: decodePrepared(new Uint8Array(await response.arrayBuffer())), route: true };
  } catch {
    return { route: false };
  }
}

async function writePrepared(fileName: string, p: PreparedEnvironment): Promise<void> {
  try {
    await fetch(PAGE_DATA + fileName, { method: 'PUT', body: encodePrepared(p) });
  } catch {
    // A cache: the next page prepares the environment again.
  }
}

/**
 * The key light: along the dominant direction of the first SH band (luminance-weighted), carrying
 * 60% of that band's directional part (Sloan, "Stupid Spherical Harmonics Tricks", 2008: extracting
 * the whole band over-darkens the opposite side). The renderer subtracts its SH projection from the
 * environment's diffuse light when it uses this light, so the total is unchanged and only the part
 * that can cast a shadow moves into the shadowed key light. A near-uniform environment gets a weak one.
 */
function keyLightOf(sh: Float32Array): { direction: [number, number, number]; irradiance: number } {
  const lum = (k: number) => luminance(sh[k * 4], sh[k * 4 + 1], sh[k * 4 + 2]);
  // Band 1 order: y, z, x.
  const d = [lum(3), lum(1), lum(2)];
  const len = Math.hypot(d[0], d[1], d[2]);
  if (len < 1e-6) return { direction: [0, 1, 0], irradiance: 0 };
  // A directional light of irradiance E along d has L_1m = E · Y_1m(d) = E · 0.488603 · d_m.
  return { direction: [d[0] / len, d[1] / len, d[2] / len], irradiance: (0.6 * len) / 0.488603 };
}
