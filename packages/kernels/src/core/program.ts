import { WgslReflect } from 'wgsl_reflect';

/** What the WGSL declares, so callers bind by name and TypeScript never restates offsets. */
export interface BindingInfo {
  name: string;
  binding: number;
  kind: 'uniform' | 'read-only-storage' | 'storage';
  /** Uniform struct members: byte offset and WGSL type, e.g. u32, f32, vec4<f32>. */
  members?: { name: string; offset: number; type: string; format?: string }[];
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
      if (b.group !== 0) throw new Error(`WGSL binding ${b.name}: only @group(0) is supported`);
      const isUniform = b.resourceType === 0;
      bindings.push({
        name: b.name,
        binding: b.binding,
        kind: isUniform ? 'uniform' : b.access === 'read' ? 'read-only-storage' : 'storage',
        size: b.size,
        members: isUniform
          ? ((b.type as any).members ?? []).map((m: any) => ({
              name: m.name,
              offset: m.offset,
              type: m.type.name,
              format: m.type.format?.name,
            }))
          : undefined,
      });
    }
  }
  const entry = reflect.entry.compute[0];
  if (!entry) throw new Error('WGSL: no @compute entry point');
  const ws = (entry as any).workgroupSize as number[] | undefined;
  return { bindings, workgroupSize: [ws?.[0] ?? 1, ws?.[1] ?? 1, ws?.[2] ?? 1] };
}

export function createProgram(device: GPUDevice, label: string, source: string): Program {
  const { bindings, workgroupSize } = reflectBindings(source);
  const module = device.createShaderModule({ label, code: source });
  const layout = device.createBindGroupLayout({
    label,
    entries: bindings.map((b) => ({
      binding: b.binding,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type: b.kind },
    })),
  });
  const pipeline = device.createComputePipeline({
    label,
    layout: device.createPipelineLayout({ label, bindGroupLayouts: [layout] }),
    compute: { module, entryPoint: 'main' },
  });
  return {
    label,
    pipeline,
    layout,
    bindings: new Map(bindings.map((b) => [b.name, b])),
    workgroupSize,
    source,
  };
}

export type UniformValue = number | boolean | readonly number[];

/** Packs values into a uniform struct using the reflected offsets and types. */
export function packUniforms(info: BindingInfo, values: Record<string, UniformValue>): ArrayBuffer {
  const size = Math.max(16, Math.ceil(info.size / 16) * 16);
  const buf = new ArrayBuffer(size);
  const view = new DataView(buf);
  const members = info.members ?? [];
  for (const m of members) {
    if (!(m.name in values)) throw new Error(`uniform ${info.name}.${m.name}: no value given`);
    const v = values[m.name];
    const scalars = typeof v === 'number' || typeof v === 'boolean' ? [Number(v)] : v;
    const scalarType = m.format ?? m.type;
    for (let i = 0; i < scalars.length; i++) {
      const off = m.offset + 4 * i;
      if (scalarType === 'f32') view.setFloat32(off, scalars[i], true);
      else if (scalarType === 'i32') view.setInt32(off, scalars[i], true);
      else if (scalarType === 'u32') {
        if (scalars[i] < 0 || !Number.isInteger(scalars[i]))
          throw new Error(`uniform ${info.name}.${m.name}: ${scalars[i]} is not a u32`);
        view.setUint32(off, scalars[i], true);
      } else throw new Error(`uniform ${info.name}.${m.name}: unsupported type ${m.type}`);
    }
  }
  for (const k of Object.keys(values)) {
    if (!members.some((m) => m.name === k)) throw new Error(`uniform ${info.name} has no member ${k}`);
  }
  return buf;
}
