/**
 * One agent's arrival times for its policy's lookback, oldest first, trimmed from the front in place: the
 * policy is handed `times` itself, never a copy. Arrivals that fall out of the lookback are cut off in
 * batches (once they are more than an eighth of the live ones, and at least 64), so a trim's cost is paid by
 * the arrivals it drops: amortised O(1) an arrival. Between trims the front holds up to that many arrivals
 * older than the lookback; policies count arrivals by time (arrivalsAfter), which ignores them.
 */
export class ArrivalWindow {
  public readonly times: number[] = [];
  /** The first arrival still inside the lookback. */
  private head = 0;

  public add(at: number): void {
    this.times.push(at);
  }

  /** Forgets arrivals at or before `from` (epoch ms); `from` never goes back. */
  public trim(from: number): void {
    const times = this.times;
    let head = this.head;
    while (head < times.length && times[head] <= from) {
      head++;
    }
    if (head > 64 && head * 8 > times.length - head) {
      times.splice(0, head);
      head = 0;
    }
    this.head = head;
  }
}
