// For tests and benchmarks that run the same model.json on TensorFlow.js: UpscalerJS's custom layers,
// written from what its esrgan.ts computes (MultiplyBeta: x · 0.2; PixelShuffle{s}x:
// tf.depthToSpace(x, s, 'NHWC')). TF.js is passed in, so this module adds no dependency.
import type * as tfc from '@tensorflow/tfjs-core';
import type * as tflayers from '@tensorflow/tfjs-layers';

export function registerUpscalerLayers(tf: typeof tfc, tfl: typeof tflayers, scale: number): void {
  const Layer = tfl.layers.Layer as any;
  const defs: [string, (x: tfc.Tensor) => tfc.Tensor][] = [
    ['MultiplyBeta', (x) => tf.mul(x, 0.2)],
    [`PixelShuffle${scale}x`, (x) => tf.depthToSpace(x as tfc.Tensor4D, scale, 'NHWC')],
  ];
  for (const [name, fn] of defs) {
    const cls = class extends Layer {
      static className = name;
      constructor(config: any) {
        super(config ?? {});
      }
      computeOutputShape(s: number[]) {
        if (name === 'MultiplyBeta') return s;
        return [s[0], s[1] && s[1] * scale, s[2] && s[2] * scale, s[3] / scale / scale];
      }
      call(inputs: tfc.Tensor | tfc.Tensor[]) {
        return fn(Array.isArray(inputs) ? inputs[0] : inputs);
      }
    };
    // Registering again replaces the class: harmless.
    tf.serialization.registerClass(cls as any);
  }
}
