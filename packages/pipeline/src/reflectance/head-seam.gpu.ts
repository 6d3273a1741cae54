// Page half of head-seam.test.ts: the ICT head on the sample photo, unwrapped and de-lit as the
// analytic backend does; figures of the skin where the face cell meets the back-of-head cell.
import { HEAD_ATLAS } from '../head/atlas.ts';
import { withPhotoHead, type PhotoHeadInput } from '../head/photo-head.ts';
import { linearRgbToLab } from '../math/colour.ts';
import { crossSeamStep, occluderEdgeLine, visibleTexture } from '../unwrap/completion-figures.ts';
import { browBandTexels, noseBridgeHeight, unwrapSurface } from '../unwrap/unwrap.ts';
import {
  bareSkinTexels,
  delightSeen,
  delightUnwrap,
  hairTexels,
  scleraTexels,
  skinRegionTexels,
} from './analytic-inputs.ts';
import { hairCoverage } from './hair-coverage.ts';
import { layoutTexels } from './layout-texels.ts';

/** Distance (cm) from the sockets within which back-cell skin is their rim, not the scalp or neck. */
const SOCKET_RIM = 1.5;
/**
 * Scales (cm) under which L* variation counts as texture (visibleTexture): grain and freckles, and
 * the mottling a viewer sees on a cheek at a render's size.
 */
const TEXTURE_SCALES_CM = [0.5, 1.5];
/** L* below the seen bare skin's median at which a completed occluded texel reads as a dark patch. */
const OCCLUDED_DARK_L = 10;

export async function headSeamFigures(device: GPUDevice, a: PhotoHeadInput) {
  return withPhotoHead(device, a, async ({ ctx, photo, surface }) => {
    const uv = await unwrapSurface(ctx, photo, surface, { uvSize: a.uvSize });
    const layout = await layoutTexels(ctx, surface, uv.size);
    const { albedo } = delightUnwrap(uv, layout, surface);
    const S = uv.size;
    const P = uv.positionMap;
    const regionOf = (i: number) =>
      layout.triangle[i] >= 0 ? surface.regionOfTriangle[layout.triangle[i]] : 0;
    const skin = 1 + surface.regions.findIndex((r) => r.name === 'skin');
    const sockets = 1 + surface.regions.findIndex((r) => r.name === 'sockets');
    const face = HEAD_ATLAS.M_Face;
    const inFaceCell = (i: number) =>
      (i % S) / S < face.x + face.size && Math.floor(i / S) / S < face.y + face.size;
    const rim: number[] = [];
    for (let i = 0; i < S * S; i++) if (regionOf(i) === sockets) rim.push(i);
    const nearSocket = (i: number) =>
      rim.some(
        (j) =>
          (P[3 * i] - P[3 * j]) ** 2 +
            (P[3 * i + 1] - P[3 * j + 1]) ** 2 +
            (P[3 * i + 2] - P[3 * j + 2]) ** 2 <
          SOCKET_RIM ** 2,
      );
    const side = Uint8Array.from({ length: S * S }, (_, i) =>
      regionOf(i) !== skin ? 0 : inFaceCell(i) ? 1 : nearSocket(i) ? 0 : 2,
    );
    const above = (y: number) => Uint8Array.from(side, (v, i) => (P[3 * i + 1] > y ? v : 0));
    // The back of the head (facing away, never seen) against the seen core skin (cheeks, nose, chin).
    const back = Uint8Array.from(side, (v, i) => (v && uv.normalMap[3 * i + 2] < -0.5 ? 1 : 0));
    const core = Uint8Array.from(uv.skinConfidence, (c) => (c > 0 ? 1 : 0));
    // All skin the photo does not show (scalp, ears, neck, the back), sockets' rims aside, and the
    // bare skin it shows (forehead, temples, cheeks: the core is too narrow for a 1.5 cm mean).
    const unseen = Uint8Array.from(side, (v, i) => (v && !(uv.confidence[i] > 0) ? 1 : 0));
    const bare = bareSkinTexels(layout, surface);
    const seen = Uint8Array.from(side, (v, i) => (v && bare[i] && uv.confidence[i] > 0 ? 1 : 0));
    const meanLab = (mask: Uint8Array) => {
      const m = [0, 0, 0];
      let n = 0;
      for (let i = 0; i < S * S; i++)
        if (mask[i]) {
          linearRgbToLab(albedo[3 * i], albedo[3 * i + 1], albedo[3 * i + 2]).forEach((v, k) => (m[k] += v));
          n++;
        }
      return m.map((v) => v / n);
    };
    const [b, c] = [meanLab(back), meanLab(core)];
    // What occluders covered (the fringe) is completed as skin: its de-lit L* against the seen bare skin's.
    const lightness = (i: number) => linearRgbToLab(albedo[3 * i], albedo[3 * i + 1], albedo[3 * i + 2])[0];
    const seenL: number[] = [];
    for (let i = 0; i < S * S; i++)
      if (inFaceCell(i) && bare[i] && uv.confidence[i] > 0) seenL.push(lightness(i));
    seenL.sort((x, y) => x - y);
    const skinL = seenL[seenL.length >> 1];
    let occluded = 0;
    let occludedDark = 0;
    for (let i = 0; i < S * S; i++)
      if (inFaceCell(i) && uv.occluded[i]) {
        occluded++;
        if (lightness(i) < skinL - OCCLUDED_DARK_L) occludedDark++;
      }
    // The line a fringe's lower edge leaves across the forehead (face cell, above the nose bridge).
    const bridgeY = noseBridgeHeight(S, P, surface) ?? Infinity;
    const forehead = Uint8Array.from({ length: S * S }, (_, i) =>
      inFaceCell(i) && P[3 * i + 1] > bridgeY ? 1 : 0,
    );
    return {
      occluded,
      occludedDark,
      fringeEdge: occluderEdgeLine(albedo, uv.occluded, uv.confidence, forehead, S),
      seam: crossSeamStep(albedo, P, side),
      scalpSeam: crossSeamStep(albedo, P, above(2)),
      backVsCore: Math.hypot(b[0] - c[0], b[1] - c[1], b[2] - c[2]),
      visibleTexture: Object.fromEntries(
        TEXTURE_SCALES_CM.map((scale) => [
          scale,
          {
            back: visibleTexture(albedo, P, back, S, scale),
            unseen: visibleTexture(albedo, P, unseen, S, scale),
            seen: visibleTexture(albedo, P, seen, S, scale),
            core: visibleTexture(albedo, P, core, S, scale),
          },
        ]),
      ),
      backTexels: back.reduce((n, v) => n + v, 0),
    };
  });
}

/**
 * The intermediate maps of the sample's head (unwrap, occluders, brows' band, de-lit albedo before and
 * after the skin's refinement, hair coverage), for looking at them (head-seam.measure.test.ts).
 */
export async function headIntermediates(device: GPUDevice, a: PhotoHeadInput) {
  return withPhotoHead(device, a, async ({ ctx, photo, surface }) => {
    const uv = await unwrapSurface(ctx, photo, surface, { uvSize: a.uvSize });
    const layout = await layoutTexels(ctx, surface, uv.size);
    const raw = delightSeen(uv, layout, skinRegionTexels(layout, surface), scleraTexels(layout, surface));
    const delit = delightUnwrap(uv, layout, surface);
    const { coverage } = hairCoverage(
      uv.size,
      uv.texture,
      hairTexels(uv, layout, surface),
      delit.lighting.weights,
      delit.shading,
    );
    const band = browBandTexels(uv.size, uv.positionMap, layout.triangle, surface);
    const regions = Uint8Array.from(layout.triangle, (t) => (t >= 0 ? surface.regionOfTriangle[t] : 0));
    const bare = bareSkinTexels(layout, surface);
    const skinT = Uint8Array.from(layout.triangle, (t) => (t >= 0 && surface.skinOfTriangle[t] ? 1 : 0));
    const occludable = Uint8Array.from(layout.triangle, (t) =>
      t >= 0 && surface.occludableOfTriangle[t] ? 1 : 0,
    );
    const unmasked = await unwrapSurface(ctx, photo, surface, {
      uvSize: a.uvSize,
      maskOccluders: false,
    });
    return {
      unmasked: unmasked.observed,
      unmaskedConfidence: unmasked.confidence,
      texture: uv.texture,
      observed: uv.observed,
      confidence: uv.confidence,
      occluded: uv.occluded,
      source: uv.source,
      positions: uv.positionMap,
      normals: uv.normalMap,
      rawAlbedo: raw.albedo,
      albedo: delit.albedo,
      shading: delit.shading,
      weights: delit.lighting.weights,
      coverage,
      band,
      regions,
      bare,
      skin: skinT,
      occludable,
      regionNames: surface.regions.map((r) => r.name),
    };
  });
}
