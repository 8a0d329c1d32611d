/** Fixed-capacity ring buffer: pushing beyond capacity drops the oldest item. O(1) push and index. */
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be >= 1, got ${capacity}`);
    this.items = new Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(item: T): void {
    const idx = (this.head + this.size) % this.capacity;
    this.items[idx] = item;
    if (this.size < this.capacity) this.size++;
    else this.head = (this.head + 1) % this.capacity;
  }

  /** Item `i` from the oldest (0) to the newest (length − 1); negative counts from the newest. */
  at(i: number): T | undefined {
    const k = i < 0 ? this.size + i : i;
    if (k < 0 || k >= this.size) return undefined;
    return this.items[(this.head + k) % this.capacity];
  }

  last(): T | undefined {
    return this.at(-1);
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.items[(this.head + i) % this.capacity]!);
    return out;
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
    this.items.fill(undefined);
  }
}
