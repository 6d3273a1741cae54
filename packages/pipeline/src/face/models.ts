import type { KernelContext } from '@avatarme/kernels';
import { GraphModel, type FetchBytes } from '@avatarme/nets';

/** Where the harness and the dev servers serve @vladmandic/human's model files. */
export const HUMAN_MODELS_URL = '/node_modules/@vladmandic/human/models/';

/**
 * The four face networks from @vladmandic/human (MIT; converted from MediaPipe BlazeFace, FaceMesh and
 * Iris, and HSE FaceRes). Each is loaded on first use, only the outputs the pipeline reads are planned.
 */
export class FaceModels {
  private cache = new Map<string, Promise<GraphModel>>();

  constructor(
    readonly ctx: KernelContext,
    readonly baseUrl = HUMAN_MODELS_URL,
    private readonly fetcher?: FetchBytes,
  ) {}

  private get(file: string, outputs?: string[]): Promise<GraphModel> {
    let m = this.cache.get(file);
    if (!m) {
      m = GraphModel.load(this.ctx, new URL(file, new URL(this.baseUrl, location.href)).href, {
        outputs,
        fetcher: this.fetcher,
      });
      this.cache.set(file, m);
    }
    return m;
  }

  /** BlazeFace (256×256, [-1, 1]): score logits and box regressors for the 512 fine and 384 coarse anchors. */
  detector(): Promise<GraphModel> {
    return this.get('blazeface.json');
  }

  /** FaceMesh (192×192, [0, 1]): 468 × (x, y, z) in crop pixels and the face-presence score. */
  mesh(): Promise<GraphModel> {
    return this.get('facemesh.json', ['output_mesh', 'output_faceflag']);
  }

  /** Iris (64×64, [0, 1]): 71 eye-contour and 5 iris points in crop pixels. */
  iris(): Promise<GraphModel> {
    return this.get('iris.json');
  }

  /** FaceRes (224×224, [0, 255]): the 1024-value global-pooling embedding. */
  descriptor(): Promise<GraphModel> {
    return this.get('faceres.json', ['global_pooling/Mean']);
  }

  async dispose(): Promise<void> {
    for (const m of this.cache.values()) (await m.catch(() => undefined))?.dispose();
    this.cache.clear();
  }
}
