import { ResourceType, WgslReflect } from 'wgsl_reflect';
import { KernelError } from './errors.ts';

/** What the WGSL declares, so callers bind by name and TypeScript never restates offsets. */
export interface BindingInfo {
  name: string;
  binding: number;
  kind: 'uniform' | 'read-only-storage' | 'storage' | 'texture' | 'sampler';
  /** Uniform struct members: byte offset and WGSL type, e.g. u32, f32, vec4<f32>. */
  members?: { name: string; offset: number; size: number; type: string; scalar: string }[];
  size: number;
}

export interface Program {
  label: string;
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
  bindings: Map<string, BindingInfo>;
  workgroupSize: [number, number, number];
  source: string;
}

export function reflectBindings(source: string): {
  bindings: BindingInfo[];
  workgroupSize: [number, number, number];
} {
  const reflect = new WgslReflect(source);
  const bindings: BindingInfo[] = [];
  for (const group of reflect.getBindGroups()) {
    for (const b of group) {
      if (!b) continue;
      if (b.group !== 0) throw new KernelError(`WGSL binding ${b.name}`, 'only @group(0) is supported');
      const isUniform = b.resourceType === ResourceType.Uniform;
      let kind: BindingInfo['kind'];
      if (b.resourceType === ResourceType.Texture) kind = 'texture';
      else if (b.resourceType === ResourceType.Sampler) kind = 'sampler';
      else if (isUniform) kind = 'uniform';
      else if (b.resourceType === ResourceType.Storage)
        kind = b.access === 'read' ? 'read-only-storage' : 'storage';
      else
        throw new KernelError(
          `WGSL binding ${b.name}`,
          `resource type ${b.resourceType} is not supported in compute programs`,
        );
      bindings.push({
        name: b.name,
        binding: b.binding,
        kind,
        size: b.size,
        members: isUniform
          ? ((b.type as any).members ?? []).map((m: any) => ({
              name: m.name,
              offset: m.offset,
              size: m.size,
              type: m.type.name,
              // Innermost scalar: f32 for f32, vec4<f32>, mat4x4<f32> and array<vec4<f32>, N>.
              scalar: m.type.format?.format?.name ?? m.type.format?.name ?? m.type.name,
            }))
          : undefined,
      });
    }
  }
  const entry = reflect.entry.compute[0];
  const ws = entry ? ((entry as any).workgroupSize as number[] | undefined) : [0, 0, 0];
  return { bindings, workgroupSize: [ws?.[0] ?? 1, ws?.[1] ?? 1, ws?.[2] ?? 1] };
}

/** Everything of a program but its pipeline: reflected bindings, shader module and layouts. */
export function programParts(
  device: GPUDevice,
  label: string,
  source: string,
): Omit<Program, 'pipeline'> & { descriptor: GPUComputePipelineDescriptor } {
  const { bindings, workgroupSize } = reflectBindings(source);
  if (workgroupSize[0] === 0) throw new KernelError(`WGSL ${label}`, 'no @compute entry point');
  const module = device.createShaderModule({ label, code: source });
  const layout = device.createBindGroupLayout({
    label,
    entries: bindings.map((b): GPUBindGroupLayoutEntry => {
      const entry = { binding: b.binding, visibility: GPUShaderStage.COMPUTE };
      // Compute programs only textureLoad: unfilterable-float accepts every float format.
      if (b.kind === 'texture') return { ...entry, texture: { sampleType: 'unfilterable-float' } };
      if (b.kind === 'sampler') return { ...entry, sampler: { type: 'non-filtering' } };
      return { ...entry, buffer: { type: b.kind } };
    }),
  });
  return {
    label,
    layout,
    bindings: new Map(bindings.map((b) => [b.name, b])),
    workgroupSize,
    source,
    descriptor: {
      label,
      layout: device.createPipelineLayout({ label, bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main' },
    },
  };
}

export function createProgram(device: GPUDevice, label: string, source: string): Program {
  const { descriptor, ...parts } = programParts(device, label, source);
  return { ...parts, pipeline: device.createComputePipeline(descriptor) };
}

export type UniformValue = number | boolean | readonly number[];

/** Packs values into a uniform struct using the reflected offsets and types. */
export function packUniforms(info: BindingInfo, values: Record<string, UniformValue>): ArrayBuffer {
  const size = Math.max(16, Math.ceil(info.size / 16) * 16);
  const buf = new ArrayBuffer(size);
  const view = new DataView(buf);
  const members = info.members ?? [];
  for (const m of members) {
    if (!(m.name in values)) throw new KernelError(`uniform ${info.name}.${m.name}`, 'no value given');
    const v = values[m.name];
    const scalars = typeof v === 'number' || typeof v === 'boolean' ? [Number(v)] : v;
    const scalarType = m.scalar;
    if (m.type === 'array' && scalars.length * 4 !== m.size) {
      // Uniform arrays have a 16-byte element stride: only arrays of vec4 are written as flat values.
      throw new KernelError(
        `uniform ${info.name}.${m.name}`,
        `give all ${m.size / 4} values (arrays of vec4 only)`,
      );
    }
    if (scalars.length * 4 > m.size)
      throw new KernelError(
        `uniform ${info.name}.${m.name}`,
        `${scalars.length} values exceed its ${m.size} bytes`,
      );
    for (let i = 0; i < scalars.length; i++) {
      const off = m.offset + 4 * i;
      if (scalarType === 'f32') view.setFloat32(off, scalars[i], true);
      else if (scalarType === 'i32') view.setInt32(off, scalars[i], true);
      else if (scalarType === 'u32') {
        if (scalars[i] < 0 || !Number.isInteger(scalars[i]))
          throw new KernelError(`uniform ${info.name}.${m.name}`, `${scalars[i]} is not a u32`);
        view.setUint32(off, scalars[i], true);
      } else throw new KernelError(`uniform ${info.name}.${m.name}`, `unsupported type ${m.type}`);
    }
  }
  for (const k of Object.keys(values)) {
    if (!members.some((m) => m.name === k)) throw new KernelError(`uniform ${info.name}`, `no member ${k}`);
  }
  return buf;
}
