import {
  KernelContext,
  KernelError,
  Tensor,
  brdfLut,
  positionBounds,
  subsurfaceBlur,
} from '@avatarme/kernels';
import { reflectBindings, packUniforms } from '@avatarme/kernels/core/program.ts';
import { checkMesh, type TexturedMesh } from '../export/mesh.ts';
import { computeTangents } from '../export/tangents.ts';
import type { RgbaImage } from '../image/codec.ts';
import compositeSource from './composite.wgsl?raw';
import type { ENVIRONMENTS, Environment } from './environments.ts';
import gatherSource from './gather.wgsl?raw';
import { IblEnvironment } from './ibl-environment.ts';
import { iblLighting, presetLighting, resolvePreset, type FrameLighting } from './lighting.ts';
import { identity, lookAt, multiply, type Mat4 } from './math.ts';
import { SKIN_ALPHA, SKIN_F0, SPECULAR_ALBEDO_REFERENCE } from './skin-brdf.ts';
import skinSource from './skin.wgsl?raw';

export interface SkinMaps {
  diffuseAlbedo: RgbaImage; // sRGB
  specularAlbedo: RgbaImage; // red channel used
  diffuseNormals: RgbaImage; // tangent space, OpenGL convention
  specularNormals: RgbaImage;
  /** glTF perceptual roughness √α in green (roughness.png); absent: SKIN_ALPHA everywhere. */
  roughness?: RgbaImage;
}

export const VIEW_MODES = [
  'full',
  'diffuseAlbedo',
  'specularAlbedo',
  'diffuseNormals',
  'specularNormals',
  'shading',
] as const;
export type ViewMode = (typeof VIEW_MODES)[number];

export const TONE_MAPPINGS = ['none', 'neutral', 'aces'] as const;
export type ToneMapping = (typeof TONE_MAPPINGS)[number];

export interface SkinView {
  width: number;
  height: number;
  viewProj: Mat4;
  model?: Mat4;
  eye: [number, number, number];
  /** An HDR environment (IblEnvironment.load), or one of the SH presets (ENVIRONMENTS). */
  environment?: IblEnvironment | Environment | keyof typeof ENVIRONMENTS;
  /** Turn of the environment about +y, radians (HDR environments and their key light). */
  environmentRotation?: number;
  /**
   * Exposure in stops (EV) before tone mapping: with autoExposure, a compensation on top of the
   * metered exposure; without, the exposure of the environment normalised to mean radiance 1. Default 0.
   */
  exposure?: number;
  /**
   * HDR environments: meter the exposure so a grey sphere facing the way the face does (the model's
   * +z) renders at its albedo (lighting.ts meteredExposure): the same skin level in every environment.
   * Default true; false takes `exposure` as it is.
   */
  autoExposure?: boolean;
  /** Default 'neutral' (Khronos PBR Neutral). */
  toneMapping?: ToneMapping;
  /** Overrides the key light direction (world, towards the light). */
  lightDirection?: [number, number, number];
  /** Key light irradiance; HDR environments default to their extracted dominant light, 0 turns it off. */
  keyLight?: number;
  /** Shadow map for the key light. Default true. */
  shadows?: boolean;
  /** Ambient occlusion from the per-vertex visibility given to create(). Default true when given. */
  occlusion?: boolean;
  /** 0 disables subsurface scattering; 1 is pytorch3d-me's default strength. */
  translucency?: number;
  /**
   * SSS width on the skin in millimetres (σ of the Gaussian profile; red scatters furthest by its mix,
   * composite.wgsl). Default 2.5 mm. Needs a perspective viewProj (the blur is sized by view depth).
   */
  scatterMm?: number;
  /** One GGX α for the whole face instead of the roughness map (or SKIN_ALPHA, 0.3, without one). */
  roughness?: number;
  /** Old option: a Blinn-Phong exponent n, taken as GGX α = √(2 / (n + 2)). */
  shininess?: number;
  /** Multiplies F0. */
  specularScale?: number;
  background?: [number, number, number, number];
  mode?: ViewMode;
}

export interface SkinRendererOptions {
  /** Visibility of the environment per vertex in [0, 1] (ambientOcclusion()), one value per vertex. */
  occlusion?: Float32Array;
  /** Side of the square shadow map. Default 1024. */
  shadowMapSize?: number;
}

const TARGET_FORMAT: GPUTextureFormat = 'rgba16float';
const LUT_SIZE = 32;

/** The skin's raster pipelines, made once per device: every renderer (and run) on it shares them. */
const pipelinesByDevice = new WeakMap<
  GPUDevice,
  { pipeline: GPURenderPipeline; shadow: GPURenderPipeline }
>();

function skinPipelines(device: GPUDevice): { pipeline: GPURenderPipeline; shadow: GPURenderPipeline } {
  const made = pipelinesByDevice.get(device);
  if (made) return made;
  const module = device.createShaderModule({ label: 'skin', code: skinSource });
  const attr = (location: number, format: GPUVertexFormat, stride: number): GPUVertexBufferLayout => ({
    arrayStride: stride,
    attributes: [{ shaderLocation: location, offset: 0, format }],
  });
  const pipeline = device.createRenderPipeline({
    label: 'skin',
    layout: 'auto',
    vertex: {
      module,
      entryPoint: 'vs',
      buffers: [
        attr(0, 'float32x3', 12),
        attr(1, 'float32x3', 12),
        attr(2, 'float32x4', 16),
        attr(3, 'float32x2', 8),
        attr(4, 'float32', 4),
      ],
    },
    fragment: { module, entryPoint: 'fs', targets: [{ format: TARGET_FORMAT }, { format: TARGET_FORMAT }] },
    primitive: { topology: 'triangle-list', cullMode: 'none' },
    depthStencil: { format: 'depth24plus', depthWriteEnabled: true, depthCompare: 'less' },
  });
  const shadow = device.createRenderPipeline({
    label: 'skin.shadow',
    layout: 'auto',
    vertex: { module, entryPoint: 'vs_shadow', buffers: [attr(0, 'float32x3', 12)] },
    primitive: { topology: 'triangle-list', cullMode: 'none' },
    // Slope-scaled bias keeps lit surfaces from shadowing themselves (acne) at grazing light.
    depthStencil: {
      format: 'depth32float',
      depthWriteEnabled: true,
      depthCompare: 'less',
      depthBias: 8,
      depthBiasSlopeScale: 2.5,
    },
  });
  const both = { pipeline, shadow };
  pipelinesByDevice.set(device, both);
  return both;
}

/**
 * Renders a face mesh with the four reflectance maps: a shadow pass from the key light, a raster pass
 * that writes the diffuse and specular radiance to two targets, a subsurface blur of the diffuse term,
 * and a compute pass that tone-maps and composes the sRGB image. Used for the exported renders and by
 * the demo.
 */
export class SkinRenderer {
  private pipeline: GPURenderPipeline;
  private shadowPipeline: GPURenderPipeline;
  private vertexBuffers: GPUBuffer[];
  private indexBuffer: GPUBuffer;
  private indexCount: number;
  private textures: GPUTexture[];
  private shadowMap: GPUTexture;
  private lut: Tensor;
  private noPrefiltered: Tensor;
  private sampler: GPUSampler;
  private shadowSampler: GPUSampler;
  private uniformInfo = reflectBindings(skinSource).bindings.find((b) => b.name === 'u')!;
  private hasOcclusion: boolean;
  /** The light view-projection the shadow map holds the depth of (render skips redrawing it). */
  private shadowMapOf: string | undefined;
  private hasRoughnessMap: boolean;
  /** Bounding sphere of the mesh in model space. */
  private centre: number[];
  private radius: number;
  private metresPerUnit: number;

  private constructor(
    private ctx: KernelContext,
    mesh: TexturedMesh,
    maps: SkinMaps,
    options: SkinRendererOptions,
  ) {
    checkMesh(mesh);
    if (!mesh.normals) throw new KernelError('SkinRenderer', 'mesh needs vertex normals');
    const vertexCount = mesh.positions.length / 3;
    if (options.occlusion && options.occlusion.length !== vertexCount)
      throw new KernelError(
        'SkinRenderer',
        `${options.occlusion.length} occlusion values for ${vertexCount} vertices`,
      );
    this.hasOcclusion = !!options.occlusion;
    this.metresPerUnit = mesh.metresPerUnit;
    const device = ctx.device;
    const tangents = computeTangents(mesh.positions, mesh.normals, mesh.uvs, mesh.triangles);
    const vb = (data: Float32Array | Uint32Array, usage: number, label: string) => {
      const b = device.createBuffer({
        label,
        size: Math.ceil(data.byteLength / 4) * 4,
        usage: usage | GPUBufferUsage.COPY_DST,
      });
      device.queue.writeBuffer(b, 0, data as Float32Array<ArrayBuffer>);
      return b;
    };
    this.vertexBuffers = [
      vb(mesh.positions, GPUBufferUsage.VERTEX, 'skin.positions'),
      vb(mesh.normals, GPUBufferUsage.VERTEX, 'skin.normals'),
      vb(tangents, GPUBufferUsage.VERTEX, 'skin.tangents'),
      vb(mesh.uvs, GPUBufferUsage.VERTEX, 'skin.uvs'),
      vb(options.occlusion ?? new Float32Array(vertexCount).fill(1), GPUBufferUsage.VERTEX, 'skin.occlusion'),
    ];
    this.indexBuffer = vb(mesh.triangles, GPUBufferUsage.INDEX, 'skin.indices');
    this.indexCount = mesh.triangles.length;
    ({ pipeline: this.pipeline, shadow: this.shadowPipeline } = skinPipelines(device));
    const size = options.shadowMapSize ?? 1024;
    this.shadowMap = device.createTexture({
      label: 'skin.shadow_map',
      size: [size, size],
      format: 'depth32float',
      usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.TEXTURE_BINDING,
    });
    const texture = (img: RgbaImage, srgb: boolean, label: string) => {
      const t = device.createTexture({
        label,
        size: [img.width, img.height],
        format: srgb ? 'rgba8unorm-srgb' : 'rgba8unorm',
        usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST,
      });
      device.queue.writeTexture(
        { texture: t },
        img.data as Uint8ClampedArray<ArrayBuffer>,
        { bytesPerRow: img.width * 4 },
        [img.width, img.height],
      );
      return t;
    };
    this.textures = [
      texture(maps.diffuseAlbedo, true, 'diffuse_albedo'),
      texture(maps.specularAlbedo, false, 'specular_albedo'),
      texture(maps.diffuseNormals, false, 'diffuse_normals'),
      texture(maps.specularNormals, false, 'specular_normals'),
      texture(maps.roughness ?? solid(Math.round(255 * Math.sqrt(SKIN_ALPHA))), false, 'roughness'),
    ];
    this.hasRoughnessMap = !!maps.roughness;
    this.sampler = device.createSampler({
      magFilter: 'linear',
      minFilter: 'linear',
      addressModeU: 'clamp-to-edge',
      addressModeV: 'clamp-to-edge',
    });
    this.shadowSampler = device.createSampler({ compare: 'less', magFilter: 'linear', minFilter: 'linear' });
    this.lut = brdfLut(ctx, { size: LUT_SIZE, samples: 512 });
    this.noPrefiltered = Tensor.fromArray(ctx, new Float32Array(4), [1, 1, 1, 4], 'skin.no_prefiltered');
    const bounds = positionBounds(mesh.positions);
    this.centre = bounds.centre;
    this.radius = bounds.radius || 1;
  }

  static create(
    ctx: KernelContext,
    mesh: TexturedMesh,
    maps: SkinMaps,
    options: SkinRendererOptions = {},
  ): SkinRenderer {
    return new SkinRenderer(ctx, mesh, maps, options);
  }

  /**
   * Records one view; returns an sRGB image tensor [1, H, W, 4] (alpha = coverage). Each call has
   * its own uniforms, so several views can be recorded and read back after one submit.
   */
  render(view: SkinView): Tensor {
    const { device } = this.ctx;
    const { width, height } = view;
    const mode = VIEW_MODES.indexOf(view.mode ?? 'full');
    if (mode < 0) throw new KernelError('SkinRenderer', `unknown view mode "${view.mode}"`);
    const tone = TONE_MAPPINGS.indexOf(view.toneMapping ?? 'neutral');
    if (tone < 0) throw new KernelError('SkinRenderer', `unknown tone mapping "${view.toneMapping}"`);
    const rotation = view.environmentRotation ?? 0;
    const model = view.model ?? identity();
    const lighting: FrameLighting =
      view.environment instanceof IblEnvironment
        ? iblLighting(view.environment, {
            rotation,
            lightDirection: view.lightDirection,
            keyIrradiance: view.keyLight,
            facing: [model[8], model[9], model[10]],
          })
        : presetLighting(resolvePreset(view.environment), view.lightDirection);
    if (view.keyLight !== undefined && !(view.environment instanceof IblEnvironment))
      lighting.keyIrradiance = [view.keyLight, view.keyLight, view.keyLight];
    const keyOn = lighting.keyIrradiance.some((e) => e > 0);
    const shadowsOn = keyOn && (view.shadows ?? true) && (mode === 0 || mode === 5);
    const lightViewProj = this.lightViewProj(model, lighting.keyDirection);
    // 0: the roughness map's α per texel.
    const alpha =
      view.roughness ??
      (view.shininess !== undefined
        ? Math.sqrt(2 / (view.shininess + 2))
        : this.hasRoughnessMap
          ? 0
          : SKIN_ALPHA);
    const ibl = lighting.ibl;
    const uniforms = packUniforms(this.uniformInfo, {
      view_proj: [...view.viewProj],
      model: [...model],
      light_view_proj: [...lightViewProj],
      eye: [...view.eye, 1],
      light_dir: [...lighting.keyDirection, 0],
      light_color: [...lighting.keyIrradiance, 0],
      env: lighting.sh,
      env_rot: [Math.cos(rotation), Math.sin(rotation), 0, 0],
      env_scale: lighting.scale,
      alpha,
      f0_scale: ((view.specularScale ?? 1) * SKIN_F0) / SPECULAR_ALBEDO_REFERENCE,
      mode,
      ibl_levels: ibl ? ibl.levels : 0,
      ibl_h: ibl ? ibl.prefiltered.shape[1] : 1,
      lut_size: LUT_SIZE,
      shadow_on: shadowsOn ? 1 : 0,
      shadow_texel: 1 / this.shadowMap.width,
      ao_strength: this.hasOcclusion && (view.occlusion ?? true) ? 1 : 0,
      pad0: 0,
      pad1: 0,
    });
    // One buffer per view, so views recorded before one submit keep their own uniforms.
    const uniformBuffer = this.ctx.uniformBuffer('skin.uniforms', uniforms);
    const encoder = this.ctx.commandEncoder;
    // The shadow map depends on the light and the model transform only: views of one environment share it.
    const shadowKey = lightViewProj.join(',');
    if (shadowsOn && shadowKey !== this.shadowMapOf) {
      this.shadowMapOf = shadowKey;
      const pass = encoder.beginRenderPass({
        label: 'skin.shadow',
        colorAttachments: [],
        depthStencilAttachment: {
          view: this.shadowMap.createView(),
          depthClearValue: 1,
          depthLoadOp: 'clear',
          depthStoreOp: 'store',
        },
      });
      pass.setPipeline(this.shadowPipeline);
      pass.setBindGroup(
        0,
        device.createBindGroup({
          label: 'skin.shadow',
          layout: this.shadowPipeline.getBindGroupLayout(0),
          entries: [{ binding: 0, resource: { buffer: uniformBuffer } }],
        }),
      );
      pass.setVertexBuffer(0, this.vertexBuffers[0]);
      pass.setIndexBuffer(this.indexBuffer, 'uint32');
      pass.drawIndexed(this.indexCount);
      pass.end();
    }
    const bindGroup = device.createBindGroup({
      label: 'skin',
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: uniformBuffer } },
        { binding: 1, resource: this.sampler },
        ...this.textures.slice(0, 4).map((t, i) => ({ binding: i + 2, resource: t.createView() })),
        { binding: 6, resource: { buffer: (ibl ? ibl.prefiltered : this.noPrefiltered).buffer } },
        { binding: 7, resource: { buffer: this.lut.buffer } },
        { binding: 8, resource: this.shadowMap.createView() },
        { binding: 9, resource: this.shadowSampler },
        { binding: 10, resource: this.textures[4].createView() },
      ],
    });
    const target = (label: string, format: GPUTextureFormat) =>
      device.createTexture({
        label,
        size: [width, height],
        format,
        usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.TEXTURE_BINDING,
      });
    const diffuse = target('skin.diffuse', TARGET_FORMAT);
    const specular = target('skin.specular', TARGET_FORMAT);
    const depth = target('skin.depth', 'depth24plus');
    const pass = encoder.beginRenderPass({
      label: 'skin',
      colorAttachments: [diffuse, specular].map((t) => ({
        view: t.createView(),
        clearValue: { r: 0, g: 0, b: 0, a: 0 },
        loadOp: 'clear' as const,
        storeOp: 'store' as const,
      })),
      depthStencilAttachment: {
        view: depth.createView(),
        depthClearValue: 1,
        depthLoadOp: 'clear',
        depthStoreOp: 'discard',
      },
    });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, bindGroup);
    this.vertexBuffers.forEach((b, i) => pass.setVertexBuffer(i, b));
    pass.setIndexBuffer(this.indexBuffer, 'uint32');
    pass.drawIndexed(this.indexCount);
    pass.end();

    const groups: [number, number, number] = [Math.ceil(width / 8), Math.ceil(height / 8), 1];
    const translucency = mode === 0 ? (view.translucency ?? 1) : 0;
    const projection = translucency > 0 ? this.depthProjection(view, model) : undefined;
    const gathered = Tensor.empty(this.ctx, [1, height, width, 4], 'skin.gathered');
    this.ctx.dispatch(
      this.ctx.program('skin-gather', gatherSource),
      {
        diffuse: diffuse.createView(),
        specular: specular.createView(),
        out: gathered,
        u: { width, height, mm_per_depth: projection?.mmPerDepth ?? 1, pad0: 0 },
      },
      groups,
    );
    const blurred = projection
      ? subsurfaceBlur(this.ctx, gathered, { widthMm: view.scatterMm ?? 2.5, focalPx: projection.focalPx })
      : gathered;
    const image = Tensor.empty(this.ctx, [1, height, width, 4], 'skin.image');
    const shaded = mode === 0 || mode === 5;
    this.ctx.dispatch(
      this.ctx.program('skin-composite', compositeSource),
      {
        diffuse: diffuse.createView(),
        specular: specular.createView(),
        blurred,
        image,
        u: {
          width,
          height,
          translucency,
          exposure: shaded
            ? 2 ** (view.exposure ?? 0) * (view.autoExposure === false ? 1 : lighting.exposure)
            : 1,
          background: view.background ?? [0, 0, 0, 0],
          tone: shaded ? tone : 0,
          pad0: 0,
          pad1: 0,
          pad2: 0,
        },
      },
      groups,
    );
    if (blurred !== gathered) blurred.dispose();
    gathered.dispose();
    for (const t of [diffuse, specular, depth]) this.ctx.deferDestroy(t);
    return image;
  }

  /**
   * What the subsurface blur needs of the camera: millimetres per unit of clip w (the view depth,
   * through the mesh's metresPerUnit and the model's scale) and the focal length in pixels.
   */
  private depthProjection(view: SkinView, model: Mat4): { mmPerDepth: number; focalPx: [number, number] } {
    const m = view.viewProj;
    // For P · V with V rigid, clip w = |row 3| · depth and |row 0| / |row 3| is P₀₀ (likewise row 1).
    const wScale = Math.hypot(m[3], m[7], m[11]);
    if (!(wScale > 1e-9))
      throw new KernelError(
        'SkinRenderer',
        'subsurface scattering needs a perspective viewProj (clip w = view depth); set translucency 0 for an orthographic one',
      );
    const modelScale = Math.hypot(model[0], model[1], model[2]);
    return {
      mmPerDepth: (1000 * this.metresPerUnit) / modelScale / wScale,
      focalPx: [
        ((Math.hypot(m[0], m[4], m[8]) / wScale) * view.width) / 2,
        ((Math.hypot(m[1], m[5], m[9]) / wScale) * view.height) / 2,
      ],
    };
  }

  /** Orthographic light camera around the mesh's bounding sphere, looking against the light. */
  private lightViewProj(model: Mat4, towardsLight: readonly number[]): Mat4 {
    const c = transform(model, this.centre);
    const r = this.radius * Math.hypot(model[0], model[1], model[2]) * 1.05;
    const eye = c.map((v, k) => v + towardsLight[k] * 2 * r);
    const up = Math.abs(towardsLight[1]) > 0.95 ? [0, 0, 1] : [0, 1, 0];
    const view = lookAt(eye, c, up);
    const near = r * 0.5;
    const far = r * 3.5;
    const proj = new Float32Array(16);
    proj[0] = 1 / r;
    proj[5] = 1 / r;
    proj[10] = -1 / (far - near);
    proj[14] = -near / (far - near);
    proj[15] = 1;
    return multiply(proj, view);
  }

  dispose(): void {
    for (const b of [...this.vertexBuffers, this.indexBuffer]) b.destroy();
    for (const t of [...this.textures, this.shadowMap]) t.destroy();
    this.lut.dispose();
    this.noPrefiltered.dispose();
  }
}

function transform(m: Mat4, p: readonly number[]): number[] {
  return [0, 1, 2].map((r) => m[r] * p[0] + m[4 + r] * p[1] + m[8 + r] * p[2] + m[12 + r]);
}

/** A 1×1 grey image. */
function solid(v: number): RgbaImage {
  return { width: 1, height: 1, data: new Uint8ClampedArray([v, v, v, 255]) };
}
