// A deep subpath: the CLI's Node side reads this file and must not load the GPU half of @avatarme/nets.
import { PIX2PIXHD_DEFAULTS, type Pix2PixHDOptions } from '@avatarme/nets/pix2pixhd/architecture.ts';

/** The maps AvatarMe infers, one network each. */
export const REFLECTANCE_MAPS = [
  'diffuseAlbedo',
  'specularAlbedo',
  'diffuseNormals',
  'specularNormals',
] as const;
export type ReflectanceMap = (typeof REFLECTANCE_MAPS)[number];

/** What a network can read: each an RGB image in [0, 1] (normals encoded as n·0.5 + 0.5). */
export const NETWORK_INPUTS = { texture: 3, diffuseAlbedo: 3, shapeNormals: 3 } as const;
export type NetworkInput = keyof typeof NETWORK_INPUTS;

export interface ReflectanceNetworkConfig {
  /** Concatenated along channels in this order; input_nc is the sum of their channels. */
  inputs: NetworkInput[];
  output_nc: number;
  description: string;
}

/**
 * AvatarMe's four image-translation networks (CVPR 2020 §3–4): de-lighting the upsampled texture into
 * diffuse albedo, then specular albedo from the diffuse albedo, and the two normal maps from the
 * diffuse albedo and the shape's normals in UV space.
 */
export const AVATARME_NETWORKS: Record<ReflectanceMap, ReflectanceNetworkConfig> = {
  diffuseAlbedo: {
    inputs: ['texture'],
    output_nc: 3,
    description: 'de-lighting: upsampled UV texture with baked illumination → diffuse albedo',
  },
  specularAlbedo: {
    inputs: ['diffuseAlbedo'],
    output_nc: 3,
    description: 'diffuse albedo → specular albedo',
  },
  diffuseNormals: {
    inputs: ['diffuseAlbedo', 'shapeNormals'],
    output_nc: 3,
    description: 'diffuse albedo + shape normals → diffuse (tangent-space) normals',
  },
  specularNormals: {
    inputs: ['diffuseAlbedo', 'shapeNormals'],
    output_nc: 3,
    description: 'diffuse albedo + shape normals → specular (tangent-space) normals',
  },
};

/** The architecture AvatarMe's networks are assumed to use when the manifest says nothing else. */
export const AVATARME_ARCHITECTURE: Omit<Pix2PixHDOptions, 'input_nc' | 'output_nc'> = {
  netG: PIX2PIXHD_DEFAULTS.netG,
  ngf: PIX2PIXHD_DEFAULTS.ngf,
  n_downsampling: PIX2PIXHD_DEFAULTS.n_downsampling,
  n_blocks: PIX2PIXHD_DEFAULTS.n_blocks,
  norm: PIX2PIXHD_DEFAULTS.norm,
  n_local_enhancers: PIX2PIXHD_DEFAULTS.n_local_enhancers,
  n_blocks_local: PIX2PIXHD_DEFAULTS.n_blocks_local,
};

/** Default file names the random-weight tool writes. */
export const DEFAULT_FILES: Record<ReflectanceMap, string> = {
  diffuseAlbedo: 'diffuse_albedo.safetensors',
  specularAlbedo: 'specular_albedo.safetensors',
  diffuseNormals: 'diffuse_normals.safetensors',
  specularNormals: 'specular_normals.safetensors',
};
