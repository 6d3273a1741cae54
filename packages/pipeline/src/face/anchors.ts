/**
 * SSD anchors as MediaPipe's SsdAnchorsCalculator makes them for BlazeFace (fixed_anchor_size, one
 * aspect ratio 1.0 plus the interpolated scale, so every anchor is 1×1 and only its centre matters).
 * Consecutive layers with the same stride share one feature map; each contributes 2 anchors per cell.
 */
export interface AnchorOptions {
  inputSize: number;
  strides: readonly number[];
  anchorOffset?: number;
}

/** BlazeFace front (short range), 128×128: 512 + 384 = 896 anchors. */
export const BLAZEFACE_FRONT: AnchorOptions = { inputSize: 128, strides: [8, 16, 16, 16] };
/** BlazeFace back (the 256×256 model in @vladmandic/human): the same grid at twice the stride. */
export const BLAZEFACE_BACK: AnchorOptions = { inputSize: 256, strides: [16, 32, 32, 32] };

/** Anchor centres, normalised to [0, 1], as [x0, y0, x1, y1, …] in layer, y, x, anchor order. */
export function ssdAnchors(o: AnchorOptions): Float32Array {
  const offset = o.anchorOffset ?? 0.5;
  const out: number[] = [];
  let layer = 0;
  while (layer < o.strides.length) {
    const stride = o.strides[layer];
    let last = layer;
    while (last < o.strides.length && o.strides[last] === stride) last++;
    const perCell = 2 * (last - layer);
    const cells = Math.ceil(o.inputSize / stride);
    for (let y = 0; y < cells; y++)
      for (let x = 0; x < cells; x++)
        for (let a = 0; a < perCell; a++) out.push((x + offset) / cells, (y + offset) / cells);
    layer = last;
  }
  return new Float32Array(out);
}
