/**
 * A GPUDevice with the adapter's full buffer and workgroup limits (the defaults, 128 MiB per binding,
 * are far below what most adapters allow), and shader-f16 / timestamp-query when offered.
 */
export async function requestKernelDevice(
  opts: { powerPreference?: GPUPowerPreference; label?: string } = {},
): Promise<GPUDevice> {
  if (typeof navigator === 'undefined' || !navigator.gpu) {
    throw new Error('WebGPU is not available (navigator.gpu is missing; a secure context is required)');
  }
  const adapter = await navigator.gpu.requestAdapter({
    powerPreference: opts.powerPreference ?? 'high-performance',
  });
  if (!adapter) throw new Error('WebGPU: no adapter available');
  const wanted: (keyof GPUSupportedLimits)[] = [
    'maxStorageBufferBindingSize',
    'maxBufferSize',
    'maxComputeWorkgroupStorageSize',
    'maxComputeInvocationsPerWorkgroup',
    'maxComputeWorkgroupSizeX',
    'maxComputeWorkgroupSizeY',
    'maxComputeWorkgroupSizeZ',
    'maxComputeWorkgroupsPerDimension',
    'maxStorageBuffersPerShaderStage',
  ];
  const requiredLimits: Record<string, number> = {};
  for (const k of wanted) requiredLimits[k] = adapter.limits[k] as number;
  const requiredFeatures: GPUFeatureName[] = [];
  for (const f of ['shader-f16', 'timestamp-query'] as GPUFeatureName[]) {
    if (adapter.features.has(f)) requiredFeatures.push(f);
  }
  return adapter.requestDevice({ label: opts.label ?? 'avatarme', requiredLimits, requiredFeatures });
}
