/**
 * Reuses storage buffers by size class. Sizes round up to 1/8 steps between powers of two, so reuse is
 * common while waste stays under 12.5%. Reuse is safe without fences: the queue runs work in order.
 */
export class BufferPool {
  private free = new Map<number, GPUBuffer[]>();
  private liveBytes = 0;
  private freeBytes = 0;
  private peak = 0;
  private liveCount = 0;

  constructor(private device: GPUDevice) {}

  static sizeClass(bytes: number): number {
    const b = Math.max(16, bytes);
    const p = 2 ** Math.floor(Math.log2(b));
    const step = Math.max(16, p / 8);
    return Math.ceil(b / step) * step;
  }

  acquire(bytes: number, label: string): GPUBuffer {
    const size = BufferPool.sizeClass(bytes);
    const list = this.free.get(size);
    let buf = list?.pop();
    if (buf) {
      this.freeBytes -= size;
      buf.label = label;
    } else {
      buf = this.device.createBuffer({
        label,
        size,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      });
    }
    this.liveBytes += size;
    this.liveCount++;
    this.peak = Math.max(this.peak, this.liveBytes + this.freeBytes);
    return buf;
  }

  release(buf: GPUBuffer): void {
    const list = this.free.get(buf.size) ?? [];
    list.push(buf);
    this.free.set(buf.size, list);
    this.liveBytes -= buf.size;
    this.freeBytes += buf.size;
    this.liveCount--;
  }

  /** Destroys every pooled (free) buffer. */
  trim(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.freeBytes = 0;
  }

  stats(): { liveBuffers: number; liveBytes: number; pooledBytes: number; peakBytes: number } {
    return {
      liveBuffers: this.liveCount,
      liveBytes: this.liveBytes,
      pooledBytes: this.freeBytes,
      peakBytes: this.peak,
    };
  }

  resetPeak(): void {
    this.peak = this.liveBytes + this.freeBytes;
  }
}
