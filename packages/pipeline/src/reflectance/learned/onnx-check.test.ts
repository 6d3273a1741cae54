import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { onnx } from '@avatarme/kernels/onnx/proto.ts';
import { parseManifest, type OnnxEntry } from './manifest.ts';
import { checkOnnxNetwork } from './onnx-check.ts';
import { importOnnx } from '@avatarme/nets/onnx/import.ts';

/** tools/onnx/make_reflectance_net.py's networks: [1, 3|6, H, W] on [-1, 1] → [1, 3, H, W] tanh. */
const asset = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../../../assets/onnx/${name}`, import.meta.url)));
const NET3 = asset('reflectance-tiny-3to3.onnx');
const NET6 = asset('reflectance-tiny-6to3.onnx');

function entry(map: string, fields: Record<string, unknown> = {}): OnnxEntry {
  const m = parseManifest({
    format: 'avatarme-reflectance-weights',
    version: 1,
    networks: { [map]: { file: 'net.onnx', inferencePatchSize: 64, ...fields } },
  });
  return Object.values(m.networks)[0] as OnnxEntry;
}

/** The model with `edit` applied to its decoded protobuf, encoded again. */
function edited(bytes: Uint8Array, edit: (m: ReturnType<typeof onnx.ModelProto.decode>) => void) {
  const model = onnx.ModelProto.decode(bytes);
  edit(model);
  return onnx.ModelProto.encode(model).finish();
}

describe('checkOnnxNetwork (the reflectance loader and the CLI check ONNX files with it)', () => {
  it('accepts the tiny networks where the manifest feeds them 3 and 6 channels; one stride-2 level → multiple 2', () => {
    const a = checkOnnxNetwork(NET3, entry('diffuseAlbedo'), 'w/net.onnx', importOnnx);
    expect(a.multiple).toBe(2);
    expect(a.imported.spec.nodes.map((n) => n.op.kind)).toContain('convTranspose2d');
    expect(checkOnnxNetwork(NET6, entry('specularNormals'), 'w/net.onnx', importOnnx).multiple).toBe(2);
  });

  it('names the file and the mismatch: input channels, output channels, ranges, window', () => {
    expect(() => checkOnnxNetwork(NET3, entry('diffuseNormals'), 'w/net.onnx', importOnnx)).toThrow(
      `w/net.onnx: input "x" takes 3 channels; the manifest's diffuseNormals feeds it 6: diffuseAlbedo (3) + shapeNormals (3)`,
    );
    expect(() =>
      checkOnnxNetwork(NET3, entry('specularAlbedo', { output_nc: 1 }), 'w/net.onnx', importOnnx),
    ).toThrow(`w/net.onnx: output "y" has 3 channels; the manifest's output_nc for specularAlbedo is 1`);
    expect(() =>
      checkOnnxNetwork(
        NET3,
        entry('diffuseAlbedo', { normalisation: { mean: 0, std: 1 } }),
        'w/net.onnx',
        importOnnx,
      ),
    ).toThrow(
      `w/net.onnx: metadata input_range "-1,1" disagrees with the manifest's normalisation for diffuseAlbedo (mean [0, 0, 0], std [1, 1, 1] put [0, 1] on [0, 1])`,
    );
    expect(() =>
      checkOnnxNetwork(NET3, entry('diffuseAlbedo', { outputRange: [0, 1] }), 'w/net.onnx', importOnnx),
    ).toThrow(
      `w/net.onnx: metadata output_range "-1,1" disagrees with the manifest's outputRange [0, 1] for diffuseAlbedo`,
    );
    expect(() =>
      checkOnnxNetwork(NET3, entry('diffuseAlbedo', { inferencePatchSize: 63 }), 'w/net.onnx', importOnnx),
    ).toThrow('w/net.onnx: inferencePatchSize 63 must be a multiple of 2 for this graph');
  });

  it('an input whose channels are not declared: the shapes are checked with the manifest’s channels', () => {
    const undeclared = edited(NET3, (m) => {
      m.graph!.input![0].type!.tensorType!.shape!.dim![1] = { dimParam: 'c' };
    });
    expect(checkOnnxNetwork(undeclared, entry('diffuseAlbedo'), 'w/net.onnx', importOnnx).multiple).toBe(2);
    expect(() => checkOnnxNetwork(undeclared, entry('diffuseNormals'), 'w/net.onnx', importOnnx)).toThrow(
      /^w\/net\.onnx: node "\w+" \(Conv\): .* \(on the manifest's 6 input channels: diffuseAlbedo \(3\) \+ shapeNormals \(3\)\)$/,
    );
  });

  it('an op the importer does not lower is named, and so is a file that is not ONNX', () => {
    const erf = edited(NET3, (m) => {
      const relu = m.graph!.node!.find((n) => n.opType === 'Relu')!;
      relu.opType = 'Erf';
      relu.name = 'gelu_part';
    });
    expect(() => checkOnnxNetwork(erf, entry('diffuseAlbedo'), 'w/net.onnx', importOnnx)).toThrow(
      /^w\/net\.onnx: node "gelu_part" \(Erf\): /,
    );
    expect(() =>
      checkOnnxNetwork(
        new TextEncoder().encode('not a model'),
        entry('diffuseAlbedo'),
        'w/net.onnx',
        importOnnx,
      ),
    ).toThrow(/^w\/net\.onnx: not an ONNX model/);
  });

  it('a network whose output is not the input’s size is refused', () => {
    // The last 3×3 conv without its pads: every side h gives h − 2.
    const shrinks = edited(NET3, (m) => {
      const conv = m.graph!.node!.filter((n) => n.opType === 'Conv').at(-1)!;
      conv.attribute = conv.attribute!.filter((a) => a.name !== 'pads');
    });
    expect(() => checkOnnxNetwork(shrinks, entry('diffuseAlbedo'), 'w/net.onnx', importOnnx)).toThrow(
      'w/net.onnx: a 64×64 input gives 62×62, and no window side up to 448 keeps its size; a reflectance network maps an image to one of the same size',
    );
  });
});
