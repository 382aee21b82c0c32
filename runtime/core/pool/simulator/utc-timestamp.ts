const DAY_MS = 86_400_000;
/** `YYYY-MM-DDTHH:MM:SSZ`, as the generators and most exports write it. */
const CANONICAL_LENGTH = 20;

/**
 * A memo of the last day seen: a trace's rows come in time order, so thousands in a row share their day, and
 * Date.parse (the slow part of reading a trace) is called once a day rather than once a row.
 */
export class UtcTimestamps {
  private day = '';
  private dayMs = NaN;

  /**
   * The epoch ms of `text` when it is exactly `YYYY-MM-DDTHH:MM:SSZ` with hours 00–23 and minutes and seconds
   * 00–59 (what Date.parse gives it); undefined for anything else, which the caller parses the slow way.
   */
  public parse(text: string): number | undefined {
    if (text.length !== CANONICAL_LENGTH || text.charCodeAt(10) !== 84 /* T */ || text.charCodeAt(19) !== 90 /* Z */
      || text.charCodeAt(13) !== 58 /* : */ || text.charCodeAt(16) !== 58) {
      return undefined;
    }
    const hours = twoDigits(text, 11);
    const minutes = twoDigits(text, 14);
    const seconds = twoDigits(text, 17);
    if (!(hours < 24 && minutes < 60 && seconds < 60)) {
      return undefined;
    }
    const day = text.slice(0, 10);
    if (day !== this.day) {
      const dayMs = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
      if (Number.isNaN(dayMs) || dayMs % DAY_MS !== 0) {
        return undefined;
      }
      this.day = day;
      this.dayMs = dayMs;
    }
    return this.dayMs + ((hours * 60 + minutes) * 60 + seconds) * 1000;
  }
}

/** The two decimal digits at `at`, or NaN. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const units = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? tens * 10 + units : NaN;
}
