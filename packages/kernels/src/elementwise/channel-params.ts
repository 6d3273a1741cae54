/**
 * Per-channel parameters (PReLU slopes, norm gamma/beta/statistics) as read-only storage buffers of
 * vec4 groups with zero pad lanes.
 *
 * Functional ops receive these as Float32Arrays on every call. Writing them into a pooled buffer with
 * queue.writeBuffer would be unsafe: the write lands on the queue at once, before dispatches that were
 * recorded earlier but not yet submitted, so a buffer reused by a later op would change under them.
 * Instead every array gets one immutable buffer per device, created mapped (no queue write), cached by
 * the array's identity and checked against a copy of its contents. The buffer lives as long as the
 * array does (WeakMap): it is never destroyed explicitly because recorded work may still read it.
 */
interface Entry {
  copy: Float32Array;
  buffer: GPUBuffer;
}

const cache = new WeakMap<GPUDevice, WeakMap<Float32Array, Entry>>();

function sameContents(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

export function channelParams(device: GPUDevice, values: Float32Array, label: string): GPUBuffer {
  let perDevice = cache.get(device);
  if (!perDevice) {
    perDevice = new WeakMap();
    cache.set(device, perDevice);
  }
  const hit = perDevice.get(values);
  if (hit && sameContents(hit.copy, values)) return hit.buffer;
  const size = Math.max(16, Math.ceil(values.length / 4) * 16);
  const buffer = device.createBuffer({ label, size, usage: GPUBufferUsage.STORAGE, mappedAtCreation: true });
  new Float32Array(buffer.getMappedRange()).set(values);
  buffer.unmap();
  perDevice.set(values, { copy: values.slice(), buffer });
  return buffer;
}
