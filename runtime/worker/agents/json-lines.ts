/** The JSON objects among a CLI's output lines; anything else on stdout (banners, warnings) is skipped. */
export function jsonObjectLines(text: string): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) {
      continue;
    }
    try {
      const value: unknown = JSON.parse(trimmed);
      if (isRecord(value)) {
        objects.push(value);
      }
    } catch {
      // a line that merely starts with a brace
    }
  }
  return objects;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A token count from a CLI's JSON: absent or malformed counts are zero, never NaN. */
export function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}
