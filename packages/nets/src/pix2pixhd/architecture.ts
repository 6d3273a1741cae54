/**
 * The pix2pixHD generators (NVIDIA/pix2pixHD models/networks.py) as data: which layers, in which order,
 * under which state_dict keys. The GPU builder and the random-weight tool both read this, so a key
 * table lives in one place.
 */

export type NormKind = 'instance' | 'batch';

export interface Pix2PixHDOptions {
  netG: 'global' | 'local';
  input_nc: number;
  output_nc: number;
  ngf: number;
  /** GlobalGenerator's n_downsampling (pix2pixHD's n_downsample_global). */
  n_downsampling: number;
  /** GlobalGenerator's n_blocks (n_blocks_global). */
  n_blocks: number;
  norm: NormKind;
  /** LocalEnhancer only. */
  n_local_enhancers: number;
  n_blocks_local: number;
}

/** pix2pixHD's training-script defaults (options/base_options.py). */
export const PIX2PIXHD_DEFAULTS: Pix2PixHDOptions = {
  netG: 'global',
  input_nc: 3,
  output_nc: 3,
  ngf: 64,
  n_downsampling: 4,
  n_blocks: 9,
  norm: 'instance',
  n_local_enhancers: 1,
  n_blocks_local: 3,
};

/** A convolution (or transposed convolution) with the norm and activation after it. */
export interface ConvLayer {
  kind: 'conv' | 'convT';
  /** Key prefix of the convolution, e.g. "model.1"; the norm (if any) is `norm`. */
  key: string;
  norm?: string;
  cin: number;
  cout: number;
  k: number;
  stride: number;
  /** Zero padding of the convolution itself, or reflection padding by the ReflectionPad2d before it. */
  pad: number;
  padMode: 'zero' | 'reflect';
  activation: 'relu' | 'tanh' | 'linear';
}

/** ResnetBlock: x + norm(conv(relu(norm(conv(x))))), reflection padding 1 before each conv. */
export interface ResLayer {
  kind: 'res';
  key: string;
  convs: [ConvLayer, ConvLayer];
}

export type Layer = ConvLayer | ResLayer;

/** The network: the global branch, and for LocalEnhancer one (downsample, upsample) pair per level. */
export interface Pix2PixHDLayout {
  options: Pix2PixHDOptions;
  global: Layer[];
  /** Finest level last: local[i] runs on the input downsampled n_local_enhancers - 1 - i times. */
  local: { down: Layer[]; up: Layer[] }[];
}

function conv(
  key: string,
  cin: number,
  cout: number,
  k: number,
  rest: Partial<ConvLayer> & { norm?: string } = {},
): ConvLayer {
  return { kind: 'conv', key, cin, cout, k, stride: 1, pad: 0, padMode: 'zero', activation: 'relu', ...rest };
}

function resBlock(key: string, dim: number): ResLayer {
  const c = (i: number, activation: ConvLayer['activation']) =>
    conv(`${key}.conv_block.${i}`, dim, dim, 3, {
      norm: `${key}.conv_block.${i + 1}`,
      pad: 1,
      padMode: 'reflect',
      activation,
    });
  return { kind: 'res', key, convs: [c(1, 'relu'), c(5, 'linear')] };
}

/** GlobalGenerator.model; `truncated` drops the final pad/conv/tanh as LocalEnhancer does. */
function globalLayers(o: Pix2PixHDOptions, ngf: number, truncated: boolean): Layer[] {
  const nd = o.n_downsampling;
  const layers: Layer[] = [
    conv('model.1', o.input_nc, ngf, 7, { norm: 'model.2', pad: 3, padMode: 'reflect' }),
  ];
  for (let i = 0; i < nd; i++) {
    const c = ngf * 2 ** i;
    const idx = 4 + 3 * i;
    layers.push(conv(`model.${idx}`, c, 2 * c, 3, { norm: `model.${idx + 1}`, stride: 2, pad: 1 }));
  }
  const dim = ngf * 2 ** nd;
  for (let j = 0; j < o.n_blocks; j++) layers.push(resBlock(`model.${3 * nd + 4 + j}`, dim));
  for (let j = 0; j < nd; j++) {
    const c = ngf * 2 ** (nd - j);
    const idx = 3 * nd + 4 + o.n_blocks + 3 * j;
    layers.push({
      ...conv(`model.${idx}`, c, c / 2, 3, { norm: `model.${idx + 1}`, stride: 2, pad: 1 }),
      kind: 'convT',
    });
  }
  if (!truncated) {
    const idx = 6 * nd + o.n_blocks + 5;
    layers.push(
      conv(`model.${idx}`, ngf, o.output_nc, 7, { pad: 3, padMode: 'reflect', activation: 'tanh' }),
    );
  }
  return layers;
}

export function checkOptions(o: Pix2PixHDOptions): void {
  const bad: string[] = [];
  const positive = ['input_nc', 'output_nc', 'ngf'] as const;
  for (const k of positive)
    if (!Number.isInteger(o[k]) || o[k] <= 0) bad.push(`${k} ${o[k]} (positive integer)`);
  const nonNegative = ['n_downsampling', 'n_blocks', 'n_local_enhancers', 'n_blocks_local'] as const;
  for (const k of nonNegative)
    if (!Number.isInteger(o[k]) || o[k] < 0) bad.push(`${k} ${o[k]} (integer ≥ 0)`);
  if (o.netG !== 'global' && o.netG !== 'local')
    bad.push(`netG ${JSON.stringify(o.netG)} ('global' or 'local')`);
  if (o.norm !== 'instance' && o.norm !== 'batch')
    bad.push(`norm ${JSON.stringify(o.norm)} ('instance' or 'batch')`);
  if (o.netG === 'local' && o.n_local_enhancers < 1) bad.push('n_local_enhancers 0 (local needs ≥ 1)');
  if (bad.length) throw new Error(`pix2pixHD: invalid options: ${bad.join('; ')}`);
}

export function pix2pixhdLayout(partial: Partial<Pix2PixHDOptions> = {}): Pix2PixHDLayout {
  const o = { ...PIX2PIXHD_DEFAULTS, ...partial };
  checkOptions(o);
  if (o.netG === 'global') return { options: o, global: globalLayers(o, o.ngf, false), local: [] };
  const levels = o.n_local_enhancers;
  const local: Pix2PixHDLayout['local'] = [];
  for (let n = 1; n <= levels; n++) {
    const c = o.ngf * 2 ** (levels - n);
    const p1 = `model${n}_1`;
    const p2 = `model${n}_2`;
    const down: Layer[] = [
      conv(`${p1}.1`, o.input_nc, c, 7, { norm: `${p1}.2`, pad: 3, padMode: 'reflect' }),
      conv(`${p1}.4`, c, 2 * c, 3, { norm: `${p1}.5`, stride: 2, pad: 1 }),
    ];
    const up: Layer[] = [];
    for (let j = 0; j < o.n_blocks_local; j++) up.push(resBlock(`${p2}.${j}`, 2 * c));
    const t = o.n_blocks_local;
    up.push({
      ...conv(`${p2}.${t}`, 2 * c, c, 3, { norm: `${p2}.${t + 1}`, stride: 2, pad: 1 }),
      kind: 'convT',
    });
    if (n === levels)
      up.push(
        conv(`${p2}.${t + 4}`, o.ngf, o.output_nc, 7, { pad: 3, padMode: 'reflect', activation: 'tanh' }),
      );
    local.push({ down, up });
  }
  return { options: o, global: globalLayers(o, o.ngf * 2 ** levels, true), local };
}

/** Every convolution in run order (for weight tools and key tables). */
export function convLayers(layout: Pix2PixHDLayout): ConvLayer[] {
  const flat = (ls: Layer[]) => ls.flatMap((l) => (l.kind === 'res' ? l.convs : [l]));
  return [...flat(layout.global), ...layout.local.flatMap((l) => [...flat(l.down), ...flat(l.up)])];
}

export interface ParamSpec {
  shape: number[];
  /** BatchNorm's num_batches_tracked (I64): accepted when present, never required, never read. */
  optional?: boolean;
}

/**
 * The state_dict keys and shapes the network expects (PyTorch layouts: Conv2d [out, in, kh, kw],
 * ConvTranspose2d [in, out, kh, kw]). InstanceNorm(affine=False) has no parameters.
 */
export function parameterSpec(layout: Pix2PixHDLayout): Map<string, ParamSpec> {
  const spec = new Map<string, ParamSpec>();
  for (const l of convLayers(layout)) {
    const w = l.kind === 'conv' ? [l.cout, l.cin, l.k, l.k] : [l.cin, l.cout, l.k, l.k];
    spec.set(`${l.key}.weight`, { shape: w });
    spec.set(`${l.key}.bias`, { shape: [l.cout] });
    if (l.norm && layout.options.norm === 'batch') {
      for (const p of ['weight', 'bias', 'running_mean', 'running_var'])
        spec.set(`${l.norm}.${p}`, { shape: [l.cout] });
      spec.set(`${l.norm}.num_batches_tracked`, { shape: [], optional: true });
    }
  }
  return spec;
}

/** The input side must be a multiple of this (pix2pixHD resizes to it) so every level halves evenly. */
export function sizeMultiple(o: Pix2PixHDOptions): number {
  return 2 ** (o.n_downsampling + (o.netG === 'local' ? o.n_local_enhancers : 0));
}
