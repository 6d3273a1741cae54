// The ONNX attribute translations as pure functions (no GPU): values worked out by hand from the ONNX
// operator specification; the conformance test runs the same translations on ONNX's own cases.
import { describe, expect, it } from 'vitest';
import {
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
    expect(() => onnxConvTranspose2d({ dilations: [2, 2] }, [1, 1, 3, 3], [1, 1, 3, 3])).toThrow(
      /onnx\.ConvTranspose: dilations \[2, 2\] is not supported/,
    );
  });

  it('pooling: count_include_pad defaults to 0; ceil mode is refused only where it adds a window', () => {
    const o = onnxPool2d('AveragePool', { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, [1, 1, 5, 5]);
    expect(o.countIncludePad).toBe(false);
    // 5 + 2 - 3 = 4 is a multiple of stride 2: ceil and floor agree.
    expect(() =>
      onnxPool2d(
        'MaxPool',
        { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 },
        [1, 1, 5, 5],
      ),
    ).not.toThrow();
    expect(() =>
      onnxPool2d('MaxPool', { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }, [1, 1, 6, 6]),
    ).toThrow(/ceil_mode 1 where it adds a partial window is not supported/);
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
    expect(() => onnxResize({ mode: 'linear' }, [1, 1, 4, 4], [1, 1, 0.6, 0.6], undefined)).toThrow(
      /scale 0\.6 that is not output\/input size \(2\/4\)/,
    );
    expect(() =>
      onnxResize({ mode: 'cubic', exclude_outside: 1 }, [1, 1, 4, 4], undefined, [1, 1, 8, 8]),
    ).toThrow(/exclude_outside 1 is not supported/);
  });

  it('Pad: reflect and edge map to the kernel modes, a non-zero constant is refused', () => {
    expect(onnxPad2d({ mode: 'edge' }, [1, 3, 4, 4], [0, 0, 1, 2, 0, 0, 3, 4], 0)).toEqual({
      pads: [1, 3, 2, 4],
      mode: 'replicate',
    });
    expect(() => onnxPad2d({ mode: 'constant' }, [1, 3, 4, 4], [0, 0, 1, 1, 0, 0, 1, 1], 1.5)).toThrow(
      /constant_value 1\.5 is not supported/,
    );
  });

  it('OIHW weights become HWIO', () => {
    // [M=2, C=1, 1, 2]: w[o][0][0][x] = 10·o + x.
    expect([...oihwToHwio(new Float32Array([0, 1, 10, 11]), [2, 1, 1, 2])]).toEqual([0, 10, 1, 11]);
  });
});
