/**
 * Events by time (a binary heap); events at the same time come out in the order they went in, which keeps a
 * run deterministic. The heap is three parallel arrays (time, insertion order, event) moved with a hole
 * rather than swapped, so a push or a pop allocates nothing: the simulator pushes and pops every event of a
 * run through here.
 */
export class EventQueue<T> {
  private readonly times: number[] = [];
  private readonly orders: number[] = [];
  private readonly events: T[] = [];
  private added = 0;

  public get size(): number {
    return this.times.length;
  }

  /** The earliest event's time; Infinity when none is left. */
  public peekAt(): number {
    return this.times.length === 0 ? Infinity : this.times[0];
  }

  public push(at: number, event: T): void {
    const order = this.added++;
    let child = this.times.length;
    this.times.push(at);
    this.orders.push(order);
    this.events.push(event);
    while (child > 0) {
      const parent = Math.floor((child - 1) / 2);
      if (!before(at, order, this.times[parent], this.orders[parent])) {
        break;
      }
      this.move(parent, child);
      child = parent;
    }
    this.put(child, at, order, event);
  }

  /** The earliest event and its time; undefined when none is left. */
  public pop(): { at: number; event: T } | undefined {
    if (this.times.length === 0) {
      return undefined;
    }
    const at = this.times[0];
    return { at, event: this.take() };
  }

  /** The earliest event, without its time (read it first with peekAt); throws when none is left. */
  public take(): T {
    const first = this.events[0];
    if (this.times.length === 0) {
      throw new Error('the event queue is empty');
    }
    const at = this.times.pop()!;
    const order = this.orders.pop()!;
    const event = this.events.pop()!;
    if (this.times.length > 0) {
      this.sinkFromTop(at, order, event);
    }
    return first;
  }

  /** Moves the entry `(at, order, event)` down from the top to its place. */
  private sinkFromTop(at: number, order: number, event: T): void {
    const length = this.times.length;
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= length) {
        break;
      }
      const right = left + 1;
      const first = right < length && before(this.times[right], this.orders[right], this.times[left], this.orders[left]) ? right : left;
      if (!before(this.times[first], this.orders[first], at, order)) {
        break;
      }
      this.move(first, parent);
      parent = first;
    }
    this.put(parent, at, order, event);
  }

  private move(from: number, to: number): void {
    this.put(to, this.times[from], this.orders[from], this.events[from]);
  }

  private put(index: number, at: number, order: number, event: T): void {
    this.times[index] = at;
    this.orders[index] = order;
    this.events[index] = event;
  }
}

function before(at: number, order: number, otherAt: number, otherOrder: number): boolean {
  return at < otherAt || (at === otherAt && order < otherOrder);
}
