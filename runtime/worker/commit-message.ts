const SUBJECT_LIMIT = 72;

/** The commit message: the prompt's first line as the subject, and the dispatch as a trailer. */
export function commitMessage(prompt: string, dispatchId: string): string {
  const firstLine = prompt.split('\n').map((line) => line.trim()).find((line) => line.length > 0) ?? '';
  const collapsed = firstLine.replace(/\s+/g, ' ');
  const subject = collapsed.length > SUBJECT_LIMIT ? `${collapsed.slice(0, SUBJECT_LIMIT - 1)}…` : collapsed;
  return `${subject || `Outpost dispatch ${dispatchId}`}\n\nOutpost-Dispatch: ${dispatchId}\n`;
}
