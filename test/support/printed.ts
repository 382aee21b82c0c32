/** What `emit` writes to standard output while it runs, line by line, parsed: log lines and metric lines alike. */
export async function printed(emit: () => unknown): Promise<any[]> {
  const chunks: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await emit();
  } finally {
    write.mockRestore();
  }
  return chunks.join('').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
}

/** The embedded-metric-format lines among `lines`. */
export function metricLines(lines: any[]): any[] {
  return lines.filter((line) => line._aws?.CloudWatchMetrics);
}
