import { KernelError, fmtShape } from './errors.ts';
import { BufferPool } from './pool.ts';
import { pipelineStats, sharedProgram, type PipelineStats } from './pipeline-cache.ts';
import { packUniforms, type Program, type UniformValue } from './program.ts';
import { grid1d } from './grid.ts';
import { WGSL_INCLUDES } from './includes.ts';
import { expandTemplate, type TemplateValues, type WgslIncludes } from './template.ts';
import type { Tensor } from './tensor.ts';

export type Binding = GPUBuffer | Tensor | GPUTextureView | GPUSampler | Record<string, UniformValue>;

export interface KernelContextOptions {
  /** Record into this encoder instead of one the context owns; the caller submits it. */
  encoder?: GPUCommandEncoder;
  /** Print every generated WGSL source to the console. */
  debug?: boolean;
}

function isTensor(b: Binding): b is Tensor {
  return typeof b === 'object' && b !== null && 'shape' in b && 'buffer' in b;
}

/**
 * Everything kernels share on one device: compiled pipelines (one per specialisation), the buffer
 * pool, and the command encoder that dispatches are recorded into. Nothing is read back to the CPU
 * unless a caller asks (Tensor.read).
 */
export class KernelContext {
  readonly pool: BufferPool;
  readonly limits: GPUSupportedLimits;
  debug: boolean;
  private programs = new Map<string, Program>();
  private encoder: GPUCommandEncoder | undefined;
  private readonly callerEncoder: GPUCommandEncoder | undefined;
  private transient: { destroy(): void }[] = [];
  private empty: GPUBuffer | undefined;
  /** Number of dispatches recorded so far (for tests and reports). */
  dispatchCount = 0;
  /** The device's pipeline counts when this context was made (pipelineStatsSince). */
  readonly pipelinesAtStart: PipelineStats;

  constructor(
    readonly device: GPUDevice,
    opts: KernelContextOptions = {},
  ) {
    this.pool = new BufferPool(device);
    this.limits = device.limits;
    this.debug = opts.debug ?? false;
    this.callerEncoder = opts.encoder;
    this.pipelinesAtStart = pipelineStats(device);
  }

  get adapterArchitecture(): string {
    return this.device.adapterInfo?.architecture ?? '';
  }

  /**
   * The compiled program for a WGSL template and its specialisation values: expanded once per label
   * and values here, compiled once per device and WGSL source (core/pipeline-cache.ts). `//@include`
   * resolves the shared snippets (core/includes.ts) and `includes`, a kernel's own.
   */
  program(
    label: string,
    template: string,
    values: TemplateValues = {},
    includes: WgslIncludes = {},
  ): Program {
    const key = `${label}|${JSON.stringify(values)}`;
    let p = this.programs.get(key);
    if (!p) {
      const source = expandTemplate(template, values, { ...WGSL_INCLUDES, ...includes });
      if (this.debug) console.log(`// ${key}\n${source}`);
      p = sharedProgram(this.device, label, source);
      this.programs.set(key, p);
    }
    return p;
  }

  get programCount(): number {
    return this.programs.size;
  }

  get commandEncoder(): GPUCommandEncoder {
    if (this.callerEncoder) return this.callerEncoder;
    this.encoder ??= this.device.createCommandEncoder({ label: 'avatarme kernels' });
    return this.encoder;
  }

  /** A 16-byte zero buffer for optional bindings a specialisation does not read. */
  get emptyBuffer(): GPUBuffer {
    this.empty ??= this.device.createBuffer({
      label: 'empty',
      size: 16,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.UNIFORM,
    });
    return this.empty;
  }

  /** Checks a buffer of `bytes` fits one storage binding on this device. */
  checkBindingSize(op: string, what: string, shape: readonly number[], bytes: number): void {
    const limit = this.limits.maxStorageBufferBindingSize;
    if (bytes > limit) {
      throw new KernelError(
        op,
        `${what} ${fmtShape(shape)} needs ${bytes} bytes, above this device's maxStorageBufferBindingSize ${limit}; split the work into tiles`,
      );
    }
  }

  /** Records one dispatch. Bindings are matched by the names declared in the WGSL. */
  dispatch(
    program: Program,
    bindings: Record<string, Binding>,
    workgroups: readonly [number, number, number],
  ): void {
    const maxWg = this.limits.maxComputeWorkgroupsPerDimension;
    if (workgroups.some((w) => w > maxWg)) {
      throw new KernelError(
        program.label,
        `dispatch ${fmtShape(workgroups)} exceeds maxComputeWorkgroupsPerDimension ${maxWg}`,
      );
    }
    if (workgroups.some((w) => w === 0)) return;
    const entries: GPUBindGroupEntry[] = [];
    for (const info of program.bindings.values()) {
      const b = bindings[info.name];
      if (b === undefined) throw new KernelError(program.label, `no binding given for "${info.name}"`);
      if (info.kind === 'texture' || info.kind === 'sampler') {
        entries.push({ binding: info.binding, resource: b as GPUTextureView | GPUSampler });
        continue;
      }
      let buffer: GPUBuffer;
      if (info.kind === 'uniform') {
        const data = packUniforms(info, b as Record<string, UniformValue>);
        buffer = this.uniformBuffer(`${program.label}.${info.name}`, data);
      } else {
        buffer = isTensor(b as Binding) ? (b as Tensor).buffer : (b as GPUBuffer);
      }
      entries.push({ binding: info.binding, resource: { buffer } });
    }
    for (const name of Object.keys(bindings)) {
      if (!program.bindings.has(name))
        throw new KernelError(program.label, `WGSL declares no binding "${name}"`);
    }
    const bindGroup = this.device.createBindGroup({ label: program.label, layout: program.layout, entries });
    const pass = this.commandEncoder.beginComputePass({ label: program.label });
    pass.setPipeline(program.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroups[0], workgroups[1], workgroups[2]);
    pass.end();
    this.dispatchCount++;
  }

  /**
   * Records one dispatch of `count` invocations of a program that numbers them with flat_index
   * (core/wgsl/flat-index.wgsl): rows of workgroups when one dimension would exceed the device's
   * maxComputeWorkgroupsPerDimension.
   */
  dispatchFlat(program: Program, bindings: Record<string, Binding>, count: number): void {
    const { workgroups } = grid1d(
      count,
      program.workgroupSize[0],
      this.limits.maxComputeWorkgroupsPerDimension,
    );
    this.dispatch(program, bindings, workgroups);
  }

  /**
   * A uniform buffer holding `data`, filled at creation and destroyed like deferDestroy's. Not
   * queue.writeBuffer into a shared buffer: a write lands on the queue at once, so every dispatch or
   * pass recorded before the submit would read the last write.
   */
  uniformBuffer(label: string, data: ArrayBuffer): GPUBuffer {
    const bytes = new Uint8Array(data);
    const buffer = this.device.createBuffer({
      label,
      size: bytes.byteLength,
      usage: GPUBufferUsage.UNIFORM,
      mappedAtCreation: true,
    });
    new Uint8Array(buffer.getMappedRange()).set(bytes);
    buffer.unmap();
    this.transient.push(buffer);
    return buffer;
  }

  /**
   * Destroys a GPU resource once the work recorded so far has been submitted: at the next flush, or
   * at dispose() when recording into a caller's encoder (the caller submits).
   */
  deferDestroy(resource: { destroy(): void }): void {
    this.transient.push(resource);
  }

  /** Submits what was recorded (no-op when recording into a caller's encoder). */
  flush(): void {
    if (this.callerEncoder || !this.encoder) return;
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = undefined;
    // Destroying after submit is safe: the queue finishes work that uses the buffers first.
    for (const b of this.transient) b.destroy();
    this.transient = [];
  }

  /** Submits and waits until the GPU has finished everything submitted so far. */
  async finish(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
  }

  /** Copies a buffer range back to the CPU (submits pending work first). */
  async readBuffer(src: GPUBuffer, byteLength: number, byteOffset = 0): Promise<ArrayBuffer> {
    if (this.callerEncoder)
      throw new KernelError(
        'readBuffer',
        'this context records into a caller encoder; submit it and read yourself',
      );
    const staging = this.device.createBuffer({
      label: 'readback',
      size: Math.ceil(byteLength / 4) * 4,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    this.commandEncoder.copyBufferToBuffer(src, byteOffset, staging, 0, staging.size);
    this.flush();
    await staging.mapAsync(GPUMapMode.READ);
    const out = staging.getMappedRange().slice(0, byteLength);
    staging.destroy();
    return out;
  }

  /** Frees pooled buffers and cached pipelines' helpers. Tensors still alive stay valid. */
  dispose(): void {
    this.flush();
    for (const r of this.transient) r.destroy();
    this.transient = [];
    this.pool.trim();
    this.empty?.destroy();
    this.empty = undefined;
  }
}
