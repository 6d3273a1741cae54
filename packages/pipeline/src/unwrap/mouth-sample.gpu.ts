// Page half of mouth-sample.test.ts: the ICT head on the sample photo, unwrapped without and with
// the photo's mouth opening; figures of the lips' texels against the photo's lips.
import { HEAD_ATLAS } from '../head/atlas.ts';
import { prepareHead } from '../head/prepare.ts';
import { withPhotoHead, type PhotoHeadInput } from '../head/photo-head.ts';
import { encodePng, rgbFloatToRgba } from '../image/codec.ts';
import { loadMorphableModel } from '../morphable/load.ts';
import {
  cellTexels,
  lipFigures,
  lipTexels,
  OUTER_LIP_68,
  photoLipLab,
  photoOpeningLab,
  seenFigures,
} from './mouth-figures.ts';
import { SKIN_CLASSES } from './complete-albedo.ts';
import { MOUTH_PIXEL, mouthContours, mouthPixels } from './mouth-opening.ts';
import { unwrapSurface } from './unwrap.ts';

export async function mouthFigures(device: GPUDevice, a: PhotoHeadInput) {
  const model = await loadMorphableModel(a.modelUrl);
  const { sourceVertex } = prepareHead(model).topology;
  return withPhotoHead(device, a, async ({ ctx, photo, surface }) => {
    const mouth = mouthContours(a.landmarks);
    const pixels = await photo.read();
    const lab = photoLipLab(pixels, photo.w, photo.h, mouth);
    // The fitted head's own outer-lip outline, model space.
    const outline = OUTER_LIP_68.map((k) => {
      const v = sourceVertex.indexOf(model.landmarks[k]);
      const p = surface.mesh.positions;
      return [p[3 * v], p[3 * v + 1], p[3 * v + 2]] as const;
    });
    const variants = { before: {}, after: { mouth } };
    const figures: Record<string, unknown> = {};
    const pngs: Record<string, Uint8Array> = {};
    let lips: Uint8Array = new Uint8Array(0);
    for (const [name, options] of Object.entries(variants)) {
      const uv = await unwrapSurface(ctx, photo, surface, { uvSize: a.uvSize, ...options });
      // exemplarClasses' classes 1–SKIN_CLASSES are the skin region's, lips included.
      const skin = Uint8Array.from(uv.exemplarClasses.classOf, (k) => (k >= 1 && k <= SKIN_CLASSES ? 1 : 0));
      // In the face cell: the back cell's skin near the mouth socket lies within the outline too.
      const face = HEAD_ATLAS.M_Face;
      const inFace = (i: number) =>
        (i % uv.size) / uv.size < face.x + face.size &&
        Math.floor(i / uv.size) / uv.size < face.y + face.size;
      lips = lipTexels(uv.size, uv.positionMap, skin, 1, outline).map((l, i) => (l && inFace(i) ? 1 : 0));
      figures[name] = {
        ...lipFigures(uv.texture, lips, lab),
        inMouth: uv.stats.inMouth,
        // What the unwrap reads onto the teeth and the gums and tongue (their atlas cells).
        teeth: seenFigures(
          uv.texture,
          cellTexels(uv.size, HEAD_ATLAS.M_Teeth, uv.source),
          uv.confidence,
          lab[0],
        ),
        gums: seenFigures(
          uv.texture,
          cellTexels(uv.size, HEAD_ATLAS.M_GumsTongue, uv.source),
          uv.confidence,
          lab[0],
        ),
      };
      pngs[name] = await encodePng(rgbFloatToRgba(uv.texture, uv.size, uv.size));
    }
    // The fit's inner-lip gap against the photo's (head/fit.ts MouthFit).
    figures.mouthFit = surface.report.mouth;
    const opening = mouthPixels(pixels, photo.w, photo.h, mouth).map((l) =>
      l === MOUTH_PIXEL.opening ? 1 : 0,
    );
    figures.photoOpening = {
      all: photoOpeningLab(pixels, opening),
      teeth: photoOpeningLab(pixels, opening, lab[0]),
    };
    return { figures, pngs, lips };
  });
}
