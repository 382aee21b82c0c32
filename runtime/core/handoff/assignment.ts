import type { Assignment } from '../../contracts/assignment';

/** What the hand-off needs of a dispatch. */
export interface HandoffDispatch {
  readonly id: string;
  readonly agent: Assignment['agent'];
  readonly model: string;
  readonly prompt: string;
  readonly repository?: { readonly url: string; readonly baseBranch: string };
  readonly workspace: Assignment['workspace'];
  readonly timeoutSeconds: number;
}

/** A short-lived git credential for the dispatch's repository. */
export interface GitCredential {
  readonly username?: string;
  readonly token: string;
}

/**
 * The worker's assignment (its `POST /assignment` body, `runtime/contracts/assignment.ts`) for a dispatch: what
 * to run, where to push, the presigned POST its uploads must use, and its budget when it has one
 * (`assignmentBudget`).
 */
export function buildAssignment(dispatch: HandoffDispatch, upload: Assignment['upload'], credential?: GitCredential, budget?: Assignment['budget']): Assignment {
  return {
    dispatchId: dispatch.id,
    agent: dispatch.agent,
    model: dispatch.model,
    prompt: dispatch.prompt,
    repository: dispatch.repository && {
      url: dispatch.repository.url,
      baseBranch: dispatch.repository.baseBranch,
      credential: credential && { username: credential.username ?? 'x-access-token', token: credential.token },
    },
    workspace: dispatch.workspace,
    timeoutSeconds: dispatch.timeoutSeconds,
    upload,
    ...(budget && { budget }),
  };
}
