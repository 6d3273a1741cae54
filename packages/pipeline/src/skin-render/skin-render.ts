import { KernelContext, KernelError, Tensor } from '@avatarme/kernels';
import { reflectBindings, packUniforms } from '@avatarme/kernels/core/program.ts';
import { checkMesh, type TexturedMesh } from '../export/mesh.ts';
import { computeTangents } from '../export/tangents.ts';
import type { RgbaImage } from '../image/codec.ts';
import compositeSource from './composite.wgsl?raw';
import { ENVIRONMENTS, type Environment } from './environments.ts';
import gatherSource from './gather.wgsl?raw';
import { identity, type Mat4 } from './math.ts';
import skinSource from './skin.wgsl?raw';

export interface SkinMaps {
  diffuseAlbedo: RgbaImage; // sRGB
  specularAlbedo: RgbaImage; // red channel used
  diffuseNormals: RgbaImage; // tangent space, OpenGL convention
  specularNormals: RgbaImage;
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

export interface SkinView {
  width: number;
  height: number;
  viewProj: Mat4;
  model?: Mat4;
  eye: [number, number, number];
  environment?: Environment | keyof typeof ENVIRONMENTS;
  /** Overrides the environment's key light direction (towards the light). */
  lightDirection?: [number, number, number];
  /** 0 disables subsurface scattering; 1 is pytorch3d-me's default strength. */
  translucency?: number;
  /** SSS blur width as a fraction of the image's smaller side. */
  scatterRadius?: number;
  shininess?: number;
  specularScale?: number;
  background?: [number, number, number, number];
  mode?: ViewMode;
}

type Blur = (ctx: KernelContext, x: Tensor, o: { sigma: number; border?: 'replicate' | 'reflect' }) => Tensor;

const TARGET_FORMAT: GPUTextureFormat = 'rgba16float';

/**
 * Renders a face mesh with the four reflectance maps: a raster pass writes the diffuse and specular
 * terms to two targets, the diffuse term is blurred for subsurface scattering, and a compute pass
 * composes the sRGB image. Used for the exported render.png and by the demo.
 */
export class SkinRenderer {
  private pipeline: GPURenderPipeline;
  private vertexBuffers: GPUBuffer[];
  private indexBuffer: GPUBuffer;
  private indexCount: number;
  private textures: GPUTexture[];
  private bindGroup: GPUBindGroup;
  private uniformBuffer: GPUBuffer;
  private uniformInfo = reflectBindings(skinSource).bindings.find((b) => b.name === 'u')!;

  private constructor(
    private ctx: KernelContext,
    mesh: TexturedMesh,
    maps: SkinMaps,
    private blur: Blur,
  ) {
    checkMesh(mesh);
    if (!mesh.normals) throw new KernelError('SkinRenderer', 'mesh needs vertex normals');
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
    ];
    this.indexBuffer = vb(mesh.triangles, GPUBufferUsage.INDEX, 'skin.indices');
    this.indexCount = mesh.triangles.length;
    const module = device.createShaderModule({ label: 'skin', code: skinSource });
    const attr = (location: number, format: GPUVertexFormat, stride: number): GPUVertexBufferLayout => ({
      arrayStride: stride,
      attributes: [{ shaderLocation: location, offset: 0, format }],
    });
    this.pipeline = device.createRenderPipeline({
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
        ],
      },
      fragment: { module, entryPoint: 'fs', targets: [{ format: TARGET_FORMAT }, { format: TARGET_FORMAT }] },
      primitive: { topology: 'triangle-list', cullMode: 'none' },
      depthStencil: { format: 'depth24plus', depthWriteEnabled: true, depthCompare: 'less' },
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
    ];
    this.uniformBuffer = device.createBuffer({
      label: 'skin.uniforms',
      size: this.uniformInfo.size,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    const sampler = device.createSampler({
      magFilter: 'linear',
      minFilter: 'linear',
      addressModeU: 'clamp-to-edge',
      addressModeV: 'clamp-to-edge',
    });
    this.bindGroup = device.createBindGroup({
      label: 'skin',
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.uniformBuffer } },
        { binding: 1, resource: sampler },
        ...this.textures.map((t, i) => ({ binding: i + 2, resource: t.createView() })),
      ],
    });
  }

  static create(ctx: KernelContext, mesh: TexturedMesh, maps: SkinMaps, blur: Blur): SkinRenderer {
    return new SkinRenderer(ctx, mesh, maps, blur);
  }

  /** Renders one view; returns an sRGB image tensor [1, H, W, 4] (alpha = coverage). */
  render(view: SkinView): Tensor {
    const { device } = this.ctx;
    const { width, height } = view;
    const env =
      typeof view.environment === 'object' ? view.environment : ENVIRONMENTS[view.environment ?? 'studio'];
    if (!env) throw new KernelError('SkinRenderer', `unknown environment "${String(view.environment)}"`);
    const mode = VIEW_MODES.indexOf(view.mode ?? 'full');
    if (mode < 0) throw new KernelError('SkinRenderer', `unknown view mode "${view.mode}"`);
    const dir = view.lightDirection ?? env.lightDirection;
    device.queue.writeBuffer(
      this.uniformBuffer,
      0,
      packUniforms(this.uniformInfo, {
        view_proj: [...view.viewProj],
        model: [...(view.model ?? identity())],
        eye: [...view.eye, 1],
        light_dir: [...dir, 0],
        light_color: [...env.lightColor, 0],
        env: env.sh.flatMap((c) => [...c, 0]),
        shininess: view.shininess ?? 140 ** 0.75,
        specular_scale: view.specularScale ?? 1,
        mode,
        pad0: 0,
      }),
    );
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
    const encoder = this.ctx.commandEncoder;
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
    pass.setBindGroup(0, this.bindGroup);
    this.vertexBuffers.forEach((b, i) => pass.setVertexBuffer(i, b));
    pass.setIndexBuffer(this.indexBuffer, 'uint32');
    pass.drawIndexed(this.indexCount);
    pass.end();

    const groups: [number, number, number] = [Math.ceil(width / 8), Math.ceil(height / 8), 1];
    const gathered = Tensor.empty(this.ctx, [1, height, width, 4], 'skin.gathered');
    this.ctx.dispatch(
      this.ctx.program('skin-gather', gatherSource),
      { diffuse: diffuse.createView(), out: gathered, u: { width, height } },
      groups,
    );
    const translucency = mode === 0 ? (view.translucency ?? 1) : 0;
    const sigma = Math.max(1, (view.scatterRadius ?? 0.015) * Math.min(width, height));
    const blurred =
      translucency > 0 ? this.blur(this.ctx, gathered, { sigma, border: 'replicate' }) : gathered;
    const image = Tensor.empty(this.ctx, [1, height, width, 4], 'skin.image');
    this.ctx.dispatch(
      this.ctx.program('skin-composite', compositeSource),
      {
        diffuse: diffuse.createView(),
        specular: specular.createView(),
        blurred,
        image,
        u: { width, height, translucency, energy: 1.3, background: view.background ?? [0, 0, 0, 0] },
      },
      groups,
    );
    if (blurred !== gathered) blurred.dispose();
    gathered.dispose();
    for (const t of [diffuse, specular, depth]) this.ctx.deferDestroy(t);
    return image;
  }

  dispose(): void {
    for (const b of [...this.vertexBuffers, this.indexBuffer, this.uniformBuffer]) b.destroy();
    for (const t of this.textures) t.destroy();
  }
}
