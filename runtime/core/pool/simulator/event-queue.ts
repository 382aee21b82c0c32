interface Entry<T> {
  readonly at: number;
  readonly order: number;
  readonly event: T;
}

/**
 * Events by time (a binary heap); events at the same time come out in the order they went in, which keeps a
 * run deterministic.
 */
export class EventQueue<T> {
  private readonly heap: Entry<T>[] = [];
  private added = 0;

  public get size(): number {
    return this.heap.length;
  }

  public push(at: number, event: T): void {
    this.heap.push({ at, order: this.added++, event });
    let child = this.heap.length - 1;
    while (child > 0) {
      const parent = Math.floor((child - 1) / 2);
      if (!this.before(child, parent)) {
        break;
      }
      this.swap(child, parent);
      child = parent;
    }
  }

  /** The earliest event and its time; undefined when none is left. */
  public pop(): { at: number; event: T } | undefined {
    const first = this.heap[0];
    const last = this.heap.pop();
    if (first === undefined || last === undefined) {
      return undefined;
    }
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.sinkFromTop();
    }
    return { at: first.at, event: first.event };
  }

  private sinkFromTop(): void {
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let first = parent;
      if (left < this.heap.length && this.before(left, first)) {
        first = left;
      }
      if (right < this.heap.length && this.before(right, first)) {
        first = right;
      }
      if (first === parent) {
        return;
      }
      this.swap(parent, first);
      parent = first;
    }
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a];
    const y = this.heap[b];
    return x.at < y.at || (x.at === y.at && x.order < y.order);
  }

  private swap(a: number, b: number): void {
    [this.heap[a], this.heap[b]] = [this.heap[b], this.heap[a]];
  }
}
