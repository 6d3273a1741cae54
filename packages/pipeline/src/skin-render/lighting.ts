import { shBasis } from '../lighting/sh.ts';
import { luminance } from '../math/colour.ts';
import { ENVIRONMENTS, type Environment } from './environments.ts';
import { IblEnvironment } from './ibl-environment.ts';

/** Â_l of the clamped-cosine kernel per SH coefficient (bands 0, 1, 2). */
const A_HAT = [Math.PI, ...Array(3).fill((2 * Math.PI) / 3), ...Array(5).fill(Math.PI / 4)];

/** What the shader needs of an environment for one frame, in the environment's own frame. */
export interface FrameLighting {
  /** Radiance SH, 9 × (r, g, b, 0), normalised. */
  sh: number[];
  /** Factor for the prefiltered map's radiance (the environment's normalisation). */
  scale: number;
  ibl: IblEnvironment | undefined;
  keyDirection: [number, number, number]; // world space, towards the light
  keyIrradiance: [number, number, number];
  /** Linear factor of the automatic exposure (meteredExposure); 1 for the SH presets. */
  exposure: number;
}

/** Environment → world: turn by θ about +y (the inverse of the shader's to_env). */
export function rotateY(d: readonly number[], theta: number): [number, number, number] {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  return [c * d[0] - s * d[2], d[1], s * d[0] + c * d[2]];
}

/**
 * The SH presets were written as irradiance-like coefficients c_k with diffuse = albedo · Σ c_k Y_k
 * and key light diffuse = albedo · colour · n·l. In the radiance units of the new shader
 * (diffuse = albedo / π · E) the same picture is L_k = π c_k / Â_l and key irradiance π · colour.
 */
export function presetLighting(env: Environment, lightDirection?: readonly number[]): FrameLighting {
  const sh: number[] = [];
  env.sh.forEach((rgb, k) => sh.push(...rgb.map((c) => (Math.PI * c) / A_HAT[k]), 0));
  const dir = lightDirection ?? env.lightDirection;
  return {
    sh,
    scale: 1,
    ibl: undefined,
    keyDirection: normalize3(dir),
    keyIrradiance: env.lightColor.map((c) => Math.PI * c) as [number, number, number],
    exposure: 1,
  };
}

/**
 * An HDR environment turned by `rotation` about +y. The key light (unless `irradiance` 0) is the
 * environment's dominant light; its SH projection is taken out of the diffuse environment so the
 * total light is unchanged and only its shadow is new. `lightDirection` (world) moves the key light
 * without changing what was taken out.
 */
export function iblLighting(
  env: IblEnvironment,
  o: {
    rotation?: number;
    lightDirection?: readonly number[];
    keyIrradiance?: number;
    /** World direction the face looks along, for the exposure meter. Default +z. */
    facing?: readonly number[];
  } = {},
): FrameLighting {
  const rotation = o.rotation ?? 0;
  const e = o.keyIrradiance ?? env.keyLight.irradiance;
  const [x, y, z] = env.keyLight.direction;
  const basis = shBasis(x, y, z);
  const sh: number[] = [];
  for (let k = 0; k < 9; k++)
    for (let c = 0; c < 4; c++) sh.push(c < 3 ? env.sh[k * 4 + c] - e * basis[k] : 0);
  return {
    sh,
    scale: env.scale,
    ibl: env,
    keyDirection: normalize3(o.lightDirection ?? rotateY(env.keyLight.direction, rotation)),
    keyIrradiance: [e, e, e],
    exposure: meteredExposure(env.sh, rotateY(o.facing ?? [0, 0, 1], -rotation)),
  };
}

/**
 * Automatic exposure: the linear factor that renders a grey Lambertian sphere, seen from the side it
 * turns towards `facing` (environment frame), at a mean radiance equal to its albedo, so a face
 * looking that way keeps the same mid-grey level in every environment and at every environment
 * rotation. The projected-area mean of the irradiance over that hemisphere is
 *   Ē = ∫ E(n) (n·v)⁺ dn / π = Σ Â_l² · L_lm · Y_lm(v) / π
 * (the clamped cosine applied twice), and the factor is π / luminance(Ē). A uniform environment of
 * radiance 1 (what IblEnvironment normalises the mean to) gets 1. The key light is part of `sh`.
 */
export function meteredExposure(sh: ArrayLike<number>, facing: readonly number[]): number {
  const [x, y, z] = normalize3(facing);
  const basis = shBasis(x, y, z);
  const mean = [0, 1, 2].map(
    (c) =>
      Array.from(basis).reduce((s: number, b, k) => s + A_HAT[k] * A_HAT[k] * sh[k * 4 + c] * b, 0) / Math.PI,
  );
  const meanLuminance = luminance(mean[0], mean[1], mean[2]);
  return meanLuminance > 0 ? Math.PI / meanLuminance : 1;
}

export function resolvePreset(environment: Environment | string | undefined): Environment {
  const env = typeof environment === 'object' ? environment : ENVIRONMENTS[environment ?? 'studio'];
  if (!env) throw new Error(`SkinRenderer: unknown environment "${String(environment)}"`);
  return env;
}

function normalize3(v: readonly number[]): [number, number, number] {
  const l = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / l, v[1] / l, v[2] / l];
}
