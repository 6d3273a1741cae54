import { Blendshapes, type KernelContext, type Tensor } from '@avatarme/kernels';
import { residentContext, residentMemo, type Lease } from '../resident/memo.ts';
import type { MorphableModel } from './model.ts';

/**
 * A morphable model's neutral and modes resident on the GPU (identity modes, then expression modes,
 * as one basis), evaluated by kernels' blendshapes: one dispatch per shape.
 */
export class MorphableModelGpu {
  private constructor(
    private readonly layer: Blendshapes,
    readonly identityCount: number,
    readonly expressionCount: number,
  ) {}

  static create(
    ctx: KernelContext,
    model: Pick<MorphableModel, 'neutral' | 'identity' | 'expression'>,
  ): MorphableModelGpu {
    const basis = new Float32Array(model.identity.data.length + model.expression.data.length);
    basis.set(model.identity.data);
    basis.set(model.expression.data, model.identity.data.length);
    const layer = Blendshapes.create(ctx, model.neutral, basis, 'morphable model');
    return new MorphableModelGpu(layer, model.identity.count, model.expression.count);
  }

  /** All vertices [1, 1, 1, V·3] for the given weights, as a new tensor. */
  evaluate(identity: ArrayLike<number>, expression: ArrayLike<number>): Tensor {
    if (identity.length !== this.identityCount || expression.length !== this.expressionCount) {
      throw new RangeError(
        `MorphableModelGpu: got ${identity.length} identity / ${expression.length} expression weights, the model has ${this.identityCount} / ${this.expressionCount}`,
      );
    }
    const w = new Float32Array(this.identityCount + this.expressionCount);
    w.set(Array.from(identity));
    w.set(Array.from(expression), this.identityCount);
    return this.layer.run(w);
  }

  dispose(): void {
    this.layer.dispose();
  }
}

type Bases = Pick<MorphableModel, 'neutral' | 'identity' | 'expression'>;

const modelIds = new WeakMap<Bases, number>();
let nextModelId = 0;

/**
 * The model's basis on the device, kept there for later runs (the bundled head's is 49 MB: uploading it
 * again each run was a cost of the CLI's kept page). Kept by the model object itself: a model loaded
 * anew is uploaded anew. Release the lease when done; evaluate's tensor is read in the basis' own
 * context (Tensor.read), and nothing else records there.
 */
export function residentMorphableModelGpu(
  device: GPUDevice,
  model: Bases,
): Promise<Lease<MorphableModelGpu>> {
  // The bases of the last two models used on the device.
  const memo = residentMemo<MorphableModelGpu>(device, 'morphable models', 2);
  let id = modelIds.get(model);
  if (id === undefined) modelIds.set(model, (id = nextModelId++));
  const ctx = residentContext(device, 'morphable models');
  return memo.lease(String(id), () => MorphableModelGpu.create(ctx, model));
}
