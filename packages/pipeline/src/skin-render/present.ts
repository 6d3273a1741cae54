import type { KernelContext, Tensor } from '@avatarme/kernels';
import { packUniforms, reflectBindings } from '@avatarme/kernels/core/program.ts';
import source from './present.wgsl?raw';

/** Blits an image tensor (from SkinRenderer.render) to a WebGPU canvas context. */
export class CanvasPresenter {
  private pipeline: GPURenderPipeline;
  private uniforms: GPUBuffer;
  private info = reflectBindings(source).bindings.find((b) => b.name === 'u')!;

  constructor(
    private ctx: KernelContext,
    private canvas: GPUCanvasContext,
    private format: GPUTextureFormat,
  ) {
    const module = ctx.device.createShaderModule({ label: 'present', code: source });
    this.pipeline = ctx.device.createRenderPipeline({
      label: 'present',
      layout: 'auto',
      vertex: { module, entryPoint: 'vs' },
      fragment: { module, entryPoint: 'fs', targets: [{ format }] },
    });
    this.uniforms = ctx.device.createBuffer({
      size: this.info.size,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
  }

  present(image: Tensor, background: [number, number, number] = [0.08, 0.09, 0.11]): void {
    const { device } = this.ctx;
    device.queue.writeBuffer(
      this.uniforms,
      0,
      packUniforms(this.info, {
        width: image.w,
        height: image.h,
        pad0: 0,
        pad1: 0,
        background: [...background, 1],
      }),
    );
    const bind = device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: image.buffer } },
        { binding: 1, resource: { buffer: this.uniforms } },
      ],
    });
    const pass = this.ctx.commandEncoder.beginRenderPass({
      label: 'present',
      colorAttachments: [
        {
          view: this.canvas.getCurrentTexture().createView(),
          loadOp: 'clear',
          storeOp: 'store',
          clearValue: { r: 0, g: 0, b: 0, a: 1 },
        },
      ],
    });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, bind);
    pass.draw(3);
    pass.end();
    this.ctx.flush();
  }

  dispose(): void {
    this.uniforms.destroy();
  }
}
