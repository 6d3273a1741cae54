import { KernelContext } from '@avatarme/kernels';

/** A value a caller holds from a ResidentMemo until it calls release(). */
export interface Lease<T> {
  readonly value: T;
  /** Gives the value back to the memo (once; later calls do nothing). */
  release(): void;
}

interface Entry<T> {
  value: Promise<T>;
  /** The value once created. */
  created?: T;
  leases: number;
}

/**
 * GPU values kept on a device between runs (the CLI keeps its page and device alive between runs), by
 * a key that names everything that determines them. A caller leases a value and releases it when done;
 * when more than `size` values are kept, the least recently used ones that no one holds are disposed.
 * A creation that fails is not kept.
 */
export class ResidentMemo<T extends { dispose(): void }> {
  private entries = new Map<string, Entry<T>>();

  constructor(private readonly size: number) {}

  /** The value for `key`, created by `create` when not kept. */
  async lease(key: string, create: () => T | Promise<T>): Promise<Lease<T>> {
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
    } else {
      const made: Entry<T> = { value: Promise.resolve().then(create), leases: 0 };
      made.value.catch(() => {
        if (this.entries.get(key) === made) this.entries.delete(key);
      });
      entry = made;
    }
    // Most recently used last: eviction walks from the front.
    this.entries.set(key, entry);
    const held = entry;
    held.leases++;
    let value: T;
    try {
      value = held.created = await held.value;
    } catch (e) {
      held.leases--;
      throw e;
    }
    this.evict();
    let released = false;
    return {
      value,
      release: () => {
        if (released) return;
        released = true;
        held.leases--;
        this.evict();
      },
    };
  }

  /** Number of values kept (held or not). */
  get count(): number {
    return this.entries.size;
  }

  /** Disposes every value no one holds. */
  clear(): void {
    this.evict(0);
  }

  private evict(size = this.size): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= size) return;
      if (entry.leases > 0) continue;
      // Not held: created (a lease holds it until then) or failed.
      this.entries.delete(key);
      entry.created?.dispose();
    }
  }
}

/** SHA-256 (hex) of the parts in order, each with its length, so that no two lists of parts collide. */
export async function contentKey(parts: readonly (string | Uint8Array)[]): Promise<string> {
  const digests = await Promise.all(
    parts.map((p) =>
      crypto.subtle.digest(
        'SHA-256',
        (typeof p === 'string' ? new TextEncoder().encode(p) : p) as Uint8Array<ArrayBuffer>,
      ),
    ),
  );
  const all = new Uint8Array(digests.length * 40);
  const view = new DataView(all.buffer);
  parts.forEach((p, i) => {
    view.setFloat64(40 * i, p.length);
    all.set(new Uint8Array(digests[i]), 40 * i + 8);
  });
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

interface Resident {
  contexts: Map<string, KernelContext>;
  memos: Map<string, ResidentMemo<{ dispose(): void }>>;
}

const residents = new WeakMap<GPUDevice, Resident>();

function residentOf(device: GPUDevice): Resident {
  let r = residents.get(device);
  if (!r) residents.set(device, (r = { contexts: new Map(), memos: new Map() }));
  return r;
}

/**
 * The context that the values kept on `device` under `name` live in: runs make and dispose their own
 * contexts, what outlives them is recorded and pooled here.
 */
export function residentContext(device: GPUDevice, name: string): KernelContext {
  const { contexts } = residentOf(device);
  let ctx = contexts.get(name);
  if (!ctx) contexts.set(name, (ctx = new KernelContext(device)));
  return ctx;
}

/** The memo of the values kept on `device` under `name` (made with room for `size` on first use). */
export function residentMemo<T extends { dispose(): void }>(
  device: GPUDevice,
  name: string,
  size: number,
): ResidentMemo<T> {
  const { memos } = residentOf(device);
  let memo = memos.get(name);
  if (!memo) memos.set(name, (memo = new ResidentMemo(size)));
  return memo as ResidentMemo<T>;
}

/** Disposes every value kept on `device` that no one holds, and the resident contexts' pooled buffers. */
export function releaseResident(device: GPUDevice): void {
  const r = residents.get(device);
  if (!r) return;
  for (const memo of r.memos.values()) memo.clear();
  for (const ctx of r.contexts.values()) ctx.dispose();
}
