/**
 * ceil_mode's output size ceil((in + pads − k) / s) + 1, less a last window that would start past the
 * input and its begin padding (PyTorch's and ONNX Runtime's rule), as the extra [bottom, right] padding
 * that gives it under the kernel's floor rule. Padding never contributes a value, so max pooling and
 * average pooling without count_include_pad are unchanged by it.
 */
export function ceilModeExtraPads(
  inHW: readonly number[],
  k: readonly number[],
  s: readonly number[],
  pads: readonly number[],
): [number, number] {
  const extra: number[] = [];
  for (let i = 0; i < 2; i++) {
    const [begin, end] = [pads[2 * i], pads[2 * i + 1]];
    const span = inHW[i] + begin + end - k[i];
    let out = Math.ceil(span / s[i]) + 1;
    if ((out - 1) * s[i] >= inHW[i] + begin) out--;
    extra.push(Math.max(0, (out - 1) * s[i] + k[i] - (inHW[i] + begin + end)));
  }
  return extra as [number, number];
}
