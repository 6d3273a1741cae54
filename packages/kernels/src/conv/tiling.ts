import type { CompileTier } from '../core/compile-tier.ts';

/**
 * How much work one invocation of the direct convolution does. SwiftShader runs invocations as SIMD
 * lanes on CPU cores: large per-invocation blocks (many vec4 accumulators in registers) and few
 * invocations win there. A discrete GPU wants many light invocations to hide memory latency.
 */
export interface ConvTiling {
  /** Output pixels per invocation, along a row. */
  px: number;
  /** Output rows per invocation (the dense kernel; others compute one row). */
  py: number;
  /** vec4 output-channel groups per invocation. */
  cb: number;
  /** Workgroup size. */
  wx: number;
  wy: number;
}

export type AdapterProfile = 'cpu' | 'gpu';

/**
 * Multiply-adds a convolution family runs on the light blocking before the heavy one pays for its
 * compile (core/compile-tier.ts). Measured on SwiftShader, 3×3 64→64 at 128²: the light blocking
 * runs 151 M multiply-adds in 618 ms, the heavy one in 239 ms, and the heavy one takes about 5 s
 * longer to compile: 5 s / 2.5 ms per million ≈ 2 G.
 */
export const CONV_HEAVY_AFTER_MACS = 2e9;

/**
 * The blocking that compiles fastest on a CPU adapter: 4 pixels × 1 channel group, everything else a
 * loop. A GPU adapter compiles any blocking quickly and keeps its own.
 */
const LIGHT_CPU: ConvTiling = { px: 4, py: 1, cb: 1, wx: 8, wy: 1 };

export function adapterProfile(
  info: { architecture?: string; vendor?: string; description?: string } | undefined,
): AdapterProfile {
  const text = `${info?.vendor ?? ''} ${info?.architecture ?? ''} ${info?.description ?? ''}`.toLowerCase();
  return /swiftshader|llvmpipe|lavapipe|software|cpu/.test(text) ? 'cpu' : 'gpu';
}

/** Output-channel groups per invocation: the largest of 4..1 that wastes at most an eighth of the groups. */
export function chooseChannelBlock(outC4: number, profile: AdapterProfile): number {
  const max = profile === 'cpu' ? 4 : 2;
  for (let cb = Math.min(max, outC4); cb > 1; cb--) {
    const padded = Math.ceil(outC4 / cb) * cb;
    if (padded - outC4 <= outC4 / 8) return cb;
  }
  return 1;
}

/**
 * Blocking of the dense kernel. On a CPU adapter every buffer load is a per-lane gather, so the
 * block is as large as the accumulators allow (128 vec4s: PX × PY × CB): a 16 × 2 pixel block
 * shares each weight load across 32 pixels and each input load (reused across the taps of a row)
 * across 4 output groups; a workgroup of 8 × 1 keeps a workgroup on one row band. Measured on
 * SwiftShader (3×3 64→64): 16×2×4 about 25 % less CPU time than 16×1×4; 8×2×8 and 32×2×2 slower.
 */
export function chooseConvTiling(
  outH: number,
  outW: number,
  outC4: number,
  profile: AdapterProfile,
  tier: CompileTier = 'heavy',
): ConvTiling {
  const cb = chooseChannelBlock(outC4, profile);
  if (profile === 'gpu') return { px: 4, py: 1, cb, wx: 16, wy: 4 };
  if (tier === 'light') return LIGHT_CPU;
  const py = outH >= 2 ? 2 : 1;
  const px = Math.min(16, Math.floor(128 / (cb * py)), Math.max(1, outW));
  return { px, py, cb, wx: 8, wy: 1 };
}

/**
 * Depthwise blocking. A depthwise tap is one multiply-add per vec4, so the kernel is bound by loads:
 * on a CPU adapter a long row of pixels shares each weight load and the block of channel groups keeps
 * neighbouring lanes on neighbouring addresses.
 */
export function chooseDepthwiseTiling(
  outW: number,
  c4: number,
  profile: AdapterProfile,
  tier: CompileTier = 'heavy',
): ConvTiling {
  const cb = chooseChannelBlock(c4, profile);
  if (profile === 'gpu') return { px: 2, py: 1, cb, wx: 16, wy: 4 };
  if (tier === 'light') return { ...LIGHT_CPU, wx: 4, wy: 4 };
  return { px: Math.min(16, Math.max(1, outW)), py: 1, cb, wx: 4, wy: 4 };
}
