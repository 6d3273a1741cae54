// The ONNX attribute translations as pure functions (no GPU): values worked out by hand from the ONNX
// operator specification; the conformance test runs the same translations on ONNX's own cases.
import { describe, expect, it } from 'vitest';
import { ceilModeExtraPads } from '../pool/ceil-mode.ts';
import {
  dilateKernel,
  liftTo2d,
  onnxConv2d,
  onnxConvTranspose2d,
  onnxNearestIndex,
  onnxPad2d,
  onnxPool2d,
  onnxResize,
  oihwToHwio,
} from './onnx.ts';

describe('ONNX attribute translations', () => {
  it('SAME_UPPER puts the odd padding row at the end, SAME_LOWER at the beginning', () => {
    // 6 rows, kernel 3, stride 2: ceil(6/2) = 3 outputs need (3-1)·2 + 3 - 6 = 1 padding row.
    const w = [1, 1, 3, 3];
    expect(onnxConv2d({ auto_pad: 'SAME_UPPER', strides: [2, 2] }, [1, 1, 6, 6], w).padding).toEqual([
      0, 1, 0, 1,
    ]);
    expect(onnxConv2d({ auto_pad: 'SAME_LOWER', strides: [2, 2] }, [1, 1, 6, 6], w).padding).toEqual([
      1, 0, 1, 0,
    ]);
    // ONNX pads are [top, left, bottom, right]; the kernels take [top, bottom, left, right].
    expect(onnxConv2d({ pads: [1, 2, 3, 4] }, [1, 1, 6, 6], w).padding).toEqual([1, 3, 2, 4]);
  });

  it('ConvTranspose output_shape: a negative end pad becomes output padding', () => {
    // 3 → 10 rows (stride 3) and 3 → 8 columns (stride 2), kernel 3: total padding 3·2 + 3 - 10 = -1 and
    // 2·2 + 3 - 8 = -1 → begin 0, end -1: one extra row and column past the full output.
    const g = onnxConvTranspose2d({ strides: [3, 2], output_shape: [10, 8] }, [1, 1, 3, 3], [1, 2, 3, 3]);
    expect(g.padding).toEqual([0, 0, 0, 0]);
    expect(g.outputPadding).toEqual([1, 1]);
  });

  it('pooling: count_include_pad defaults to 0; ceil mode adds end padding for the partial window', () => {
    const o = onnxPool2d('AveragePool', { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, [1, 1, 5, 5]);
    expect(o.countIncludePad).toBe(false);
    // 5 + 2 - 3 = 4 is a multiple of stride 2: ceil and floor agree, no extra padding.
    const even = { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 };
    expect(onnxPool2d('MaxPool', even, [1, 1, 5, 5]).padding).toEqual([1, 1, 1, 1]);
    // 6 rows, kernel 3, stride 2: floor gives 2 windows, ceil 3; the third starts at row 4 < 6 and
    // needs one row past the input: PyTorch's MaxPool2d(3, 2, ceil_mode=True) gives 3×3 on 6×6.
    const six = { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 };
    expect(onnxPool2d('MaxPool', six, [1, 1, 6, 6]).padding).toEqual([0, 1, 0, 1]);
    // 6 rows, kernel 2, stride 2, pads [1, 0]: ceil((6 + 1 - 2) / 2) + 1 = 4 windows, the last starts
    // at row 6 - 1 = 5 < 6: kept, one extra row. 5 rows with pads [1, 1]: ceil(5 / 2) + 1 = 4, the last
    // would start at 6 - 1 = 5, past the input: dropped (PyTorch's rule), so no extra row.
    expect(ceilModeExtraPads([6, 6], [2, 2], [2, 2], [1, 0, 1, 0])).toEqual([1, 1]);
    expect(ceilModeExtraPads([5, 5], [2, 2], [2, 2], [1, 1, 1, 1])).toEqual([0, 0]);
    expect(() => onnxPool2d('AveragePool', { ...six, count_include_pad: 1 }, [1, 1, 6, 6])).toThrow(
      /ceil_mode 1 with count_include_pad 1 where it adds a partial window is not supported/,
    );
  });

  it('1-D nodes lift to 2-D with a unit height; dilated kernels get zero taps', () => {
    const l = liftTo2d({ kernel_shape: [3], strides: [2], pads: [1, 2] }, [1, 4, 10]);
    expect(l).toEqual({
      attrs: { kernel_shape: [1, 3], strides: [1, 2], pads: [0, 1, 0, 2] },
      x: [1, 4, 1, 10],
      lifted: true,
    });
    // [1, 1, 2, 2] dilated by [2, 3]: 3×4 with the taps at rows 0, 2 and columns 0, 3.
    const d = dilateKernel(new Float32Array([1, 2, 3, 4]), [1, 1, 2, 2], [2, 3]);
    expect(d.dims).toEqual([1, 1, 3, 4]);
    expect([...d.data]).toEqual([1, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 4]);
    const g = onnxConvTranspose2d({ dilations: [2, 2] }, [1, 1, 3, 3], [1, 1, 2, 2]);
    expect(g.kernelDilation).toEqual([2, 2]);
  });

  it('nearest rounding follows nearest_mode, ties included', () => {
    // half_pixel, ×2 down on 4 → 2: d = 0 maps to (0.5)·2 - 0.5 = 0.5, a tie.
    expect(onnxNearestIndex(0, 4, 2, 0.5, 'half_pixel', 'round_prefer_floor')).toBe(0);
    expect(onnxNearestIndex(0, 4, 2, 0.5, 'half_pixel', 'round_prefer_ceil')).toBe(1);
    expect(onnxNearestIndex(3, 2, 4, 2, 'asymmetric', 'floor')).toBe(1);
    expect(onnxNearestIndex(3, 2, 4, 2, 'asymmetric', 'ceil')).toBe(1);
  });

  it('Resize maps to a kernel mode only where it computes the same thing', () => {
    expect(
      onnxResize(
        { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' },
        [1, 1, 2, 2],
        [1, 1, 2, 2],
        undefined,
      ),
    ).toMatchObject({ height: 4, width: 4, mode: 'nearest', coordinates: 'asymmetric' });
    // A scale other than out/in (4·0.6 → 2) places the source coordinates itself.
    expect(onnxResize({ mode: 'linear' }, [1, 1, 4, 4], [1, 1, 0.6, 0.6], undefined)).toMatchObject({
      height: 2,
      scale: [0.6, 0.6],
    });
    const cubic = onnxResize({ mode: 'cubic', exclude_outside: 1 }, [1, 1, 4, 4], undefined, [1, 1, 8, 8]);
    expect(cubic.excludeOutside).toBe(true);
    expect(cubic.scale).toBeUndefined();
    expect(() =>
      onnxResize(
        { mode: 'linear', coordinate_transformation_mode: 'tf_crop_and_resize' },
        [1, 1, 4, 4],
        undefined,
        [1, 1, 8, 8],
      ),
    ).toThrow(/tf_crop_and_resize" \(a crop box with an extrapolation value\) is not supported/);
  });

  it('Pad: reflect and edge map to the kernel modes, a constant becomes the border value', () => {
    expect(onnxPad2d({ mode: 'edge' }, [1, 3, 4, 4], [0, 0, 1, 2, 0, 0, 3, 4], 0)).toEqual({
      pads: [1, 3, 2, 4],
      mode: 'replicate',
      value: undefined,
    });
    expect(onnxPad2d({ mode: 'constant' }, [1, 3, 4, 4], [0, 0, 1, 1, 0, 0, 1, 1], 1.5).value).toBe(1.5);
  });

  it('OIHW weights become HWIO', () => {
    // [M=2, C=1, 1, 2]: w[o][0][0][x] = 10·o + x.
    expect([...oihwToHwio(new Float32Array([0, 1, 10, 11]), [2, 1, 1, 2])]).toEqual([0, 10, 1, 11]);
  });
});
