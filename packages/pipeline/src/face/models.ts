import type { KernelContext } from '@avatarme/kernels';
import { GraphModel, fetchGraphModelFiles, graphModelFromFiles, type FetchBytes } from '@avatarme/nets';
import {
  contentKey,
  residentContext,
  residentMemo,
  type Lease,
  type ResidentMemo,
} from '../resident/memo.ts';

/** Where the harness and the dev servers serve @vladmandic/human's model files. */
export const HUMAN_MODELS_URL = '/node_modules/@vladmandic/human/models/';

/** The four networks of two model folders. */
const RESIDENT_NETWORKS = 8;

/**
 * The face networks kept on each device (residentContext), by their URL, the outputs planned and the
 * SHA-256 of their files: a later run on the same device (the CLI's kept page) skips decoding and
 * uploading them, and a changed file or another folder loads anew.
 */
function residentNetworks(device: GPUDevice): { ctx: KernelContext; memo: ResidentMemo<GraphModel> } {
  return {
    ctx: residentContext(device, 'face networks'),
    memo: residentMemo(device, 'face networks', RESIDENT_NETWORKS),
  };
}

/**
 * The four face networks from @vladmandic/human (MIT; converted from MediaPipe BlazeFace, FaceMesh and
 * Iris, and HSE FaceRes). Each is loaded on first use, only the outputs the pipeline reads are planned;
 * the loaded networks stay on the device for later FaceModels (residentNetworks), and runs record
 * from `ctx` (GraphModel.usedFrom).
 */
export class FaceModels {
  private cache = new Map<string, Promise<GraphModel>>();
  private leases: Lease<GraphModel>[] = [];

  constructor(
    readonly ctx: KernelContext,
    readonly baseUrl = HUMAN_MODELS_URL,
    private readonly fetcher?: FetchBytes,
  ) {}

  private get(file: string, outputs?: string[]): Promise<GraphModel> {
    let m = this.cache.get(file);
    if (!m) {
      m = this.load(new URL(file, new URL(this.baseUrl, location.href)).href, outputs);
      this.cache.set(file, m);
    }
    return m;
  }

  private async load(url: string, outputs?: string[]): Promise<GraphModel> {
    const files = await fetchGraphModelFiles(url, this.fetcher);
    const key = await contentKey([url, JSON.stringify(outputs ?? null), files.json, ...files.shards.flat()]);
    const { ctx, memo } = residentNetworks(this.ctx.device);
    const lease = await memo.lease(key, () => {
      // The weights are written into buffers of the kept context's pool, which work recorded here and
      // not yet submitted may still read (outputs of an earlier network, released).
      this.ctx.flush();
      return GraphModel.create(ctx, graphModelFromFiles(files), outputs);
    });
    this.leases.push(lease);
    return lease.value.usedFrom(this.ctx);
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

  /** Gives the networks back to the device's memo (they stay loaded for the next FaceModels). */
  async dispose(): Promise<void> {
    for (const m of this.cache.values()) await m.catch(() => undefined);
    for (const lease of this.leases) lease.release();
    this.leases = [];
    this.cache.clear();
  }
}
