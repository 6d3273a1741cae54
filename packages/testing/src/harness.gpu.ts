// Page half of harness.test.ts: small exports that exercise the page session itself.

export function echo(_device: GPUDevice, a: { values: Float32Array; bytes: Uint8Array; label: string }) {
  return {
    doubled: a.values.map((v) => 2 * v),
    bytes: a.bytes,
    label: a.label.toUpperCase(),
    nested: [{ ids: new Int32Array([1, -2]) }],
  };
}

/** A view into a larger buffer and a multi-megabyte array: what comes back must be exactly their bytes. */
export function views(_device: GPUDevice, a: { n: number }) {
  const whole = Float32Array.from({ length: 16 }, (_, i) => i + 0.5);
  const large = new Uint8Array(a.n);
  for (let i = 0; i < a.n; i++) large[i] = (i * 31 + (i >> 8)) & 255;
  return { middle: whole.subarray(3, 7), large };
}

/** Doubles `x` in a compute shader, so the page's GPUDevice really runs WGSL. */
export async function doubleOnGpu(device: GPUDevice, a: { x: Float32Array }) {
  const module = device.createShaderModule({
    label: 'harness.double',
    code: /* wgsl */ `
      @group(0) @binding(0) var<storage, read_write> x: array<f32>;
      @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
        if (id.x < arrayLength(&x)) { x[id.x] = 2.0 * x[id.x]; }
      }`,
  });
  const pipeline = device.createComputePipeline({
    label: 'harness.double',
    layout: 'auto',
    compute: { module, entryPoint: 'main' },
  });
  const size = a.x.byteLength;
  const buf = device.createBuffer({
    label: 'harness.x',
    size,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  const read = device.createBuffer({
    label: 'harness.read',
    size,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(buf, 0, a.x as Float32Array<ArrayBuffer>);
  const enc = device.createCommandEncoder({ label: 'harness.double' });
  const pass = enc.beginComputePass({ label: 'harness.double' });
  pass.setPipeline(pipeline);
  pass.setBindGroup(
    0,
    device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: buf } }],
    }),
  );
  pass.dispatchWorkgroups(Math.ceil(a.x.length / 64));
  pass.end();
  enc.copyBufferToBuffer(buf, 0, read, 0, size);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(read.getMappedRange().slice(0));
  read.destroy();
  buf.destroy();
  return out;
}

/** A buffer with an invalid usage: the harness must turn the validation error into a failed call. */
export function invalidBuffer(device: GPUDevice) {
  device.createBuffer({
    label: 'harness.invalid',
    size: 16,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE,
  });
  return 'created';
}

/** No argument beyond the device. */
export function maxBufferSize(device: GPUDevice) {
  return device.limits.maxBufferSize;
}

/** Not a page function (its first parameter is not a device): the typed module leaves it out. */
export function helper(n: number) {
  return n + 1;
}
