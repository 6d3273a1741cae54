/**
 * Milliseconds of the steps of a stage, for report.json (exportMs, reflectanceMs): each lap is the
 * time since the previous one (or since creation).
 */
export class Laps {
  readonly ms: Record<string, number> = {};
  private last = performance.now();

  lap(name: string): void {
    const now = performance.now();
    this.ms[name] = Math.round(now - this.last);
    this.last = now;
  }
}
