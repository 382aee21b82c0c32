import { readFile } from 'fs/promises';
import { messageOf } from './error-message';
import { uploadFile } from './upload';
import type { WorkspaceLayout } from './workspace';
import { type UploadTarget } from '../contracts/upload-target';

/**
 * Uploads whichever artifacts the run produced (the agent's transcript and stderr, the patch of its
 * commit) and returns what failed rather than stopping at it: result.json still goes up after them.
 */
export async function uploadArtifacts(target: UploadTarget, layout: WorkspaceLayout): Promise<string[]> {
  const errors: string[] = [];
  const files: [string, string, string][] = [
    [layout.artifacts.transcript, 'transcript.log', 'text/plain; charset=utf-8'],
    [layout.artifacts.stderr, 'stderr.log', 'text/plain; charset=utf-8'],
    [layout.artifacts.patch, 'changes.patch', 'text/x-diff'],
  ];
  for (const [file, name, contentType] of files) {
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch {
      continue; // not produced by this run
    }
    try {
      await uploadFile(target, name, content, contentType);
    } catch (error) {
      errors.push(messageOf(error));
    }
  }
  return errors;
}
