import type { SafetensorsFile } from '../safetensors/reader.ts';
import type { Pix2PixHDLayout } from './architecture.ts';
import { parameterSpec } from './architecture.ts';

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;
const LIST_LIMIT = 6;

function list(items: string[]): string {
  const shown = items.slice(0, LIST_LIMIT).join(', ');
  return items.length > LIST_LIMIT ? `${shown} and ${items.length - LIST_LIMIT} more` : shown;
}

/** "global ngf 8, 2 downsamplings, 2 blocks, instance norm, 3→3 channels" for messages. */
export function describeLayout(layout: Pix2PixHDLayout): string {
  const o = layout.options;
  const local =
    o.netG === 'local' ? `, ${o.n_local_enhancers} local level(s) of ${o.n_blocks_local} blocks` : '';
  return `${o.netG} ngf ${o.ngf}, ${o.n_downsampling} downsamplings, ${o.n_blocks} blocks${local}, ${o.norm} norm, ${o.input_nc}→${o.output_nc} channels`;
}

/**
 * Checks that the file holds exactly the parameters of `layout`, with the expected shapes and float
 * dtypes; otherwise one error lists every missing, extra and mis-shaped key.
 */
export function checkStateDict(weights: SafetensorsFile, layout: Pix2PixHDLayout): void {
  const spec = parameterSpec(layout);
  const missing: string[] = [];
  const misshaped: string[] = [];
  for (const [key, p] of spec) {
    if (!weights.has(key)) {
      if (!p.optional) missing.push(`${key} ${fmt(p.shape)}`);
      continue;
    }
    const info = weights.info(key);
    if (fmt(info.shape) !== fmt(p.shape))
      misshaped.push(`${key} ${fmt(info.shape)} (expected ${fmt(p.shape)})`);
    else if (!p.optional && info.dtype !== 'F32' && info.dtype !== 'F16' && info.dtype !== 'BF16')
      misshaped.push(`${key} is ${info.dtype} (expected F32, F16 or BF16)`);
  }
  const extra = weights.names.filter((k) => !spec.has(k)).map((k) => `${k} ${fmt(weights.info(k).shape)}`);
  const problems: string[] = [];
  if (missing.length) problems.push(`missing ${missing.length}: ${list(missing)}`);
  if (extra.length) problems.push(`unexpected ${extra.length}: ${list(extra)}`);
  if (misshaped.length) problems.push(`wrong shape or dtype ${misshaped.length}: ${list(misshaped)}`);
  if (problems.length) {
    const hint = extra.some((k) => k.startsWith('module.'))
      ? ' (strip the DataParallel "module." prefix)'
      : '';
    throw new Error(
      `${weights.file}: state_dict does not match pix2pixHD ${describeLayout(layout)}: ${problems.join('; ')}${hint}`,
    );
  }
}
