import { agentIdentity } from './agent-identity';
import { runAgent, type AgentRunResult } from './agent-run';
import { agentAdapter } from './agents';
import { sumUsage } from './agents/usage';
import { uploadArtifacts } from './artifacts';
import type { Assignment } from './assignment';
import { commitMessage } from './commit-message';
import type { WorkerConfig } from './config';
import { gitCredential, publishingCredentials, type CredentialRenewal } from './credential-renewal';
import { messageOf } from './error-message';
import { Git } from './git';
import type { Logger } from './logger';
import type { Redactor } from './redactor';
import { checkOut, publish, type Checkout, type Publication } from './repository';
import { classifyOutcome, type DispatchResult } from './result';
import { uploadFile } from './upload';
import { handOverWorkTree, prepareWorkspace, workspaceLayout } from './workspace';
import { measureWorkspace, type WorkspaceSize } from './workspace-size';

export interface DispatchContext {
  readonly config: WorkerConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Scoped to the dispatch. */
  readonly logger: Logger;
  readonly redactor: Redactor;
  /** Fires on SIGTERM. */
  readonly signal: AbortSignal;
  /** Fresh credentials for the push and uploads (./credential-renewal.ts); without, the assignment's are used. */
  readonly credentials?: CredentialRenewal;
}

/**
 * The run: workspace, clone, agent, commit and push, artifacts, result.json. A failed step ends the
 * run early but never skips the rest of what can still be saved: whatever the agent changed is pushed
 * and the result is uploaded, also after a timeout or a cancellation. Resolves to the worker's exit code.
 */
export async function runDispatch(assignment: Assignment, context: DispatchContext): Promise<number> {
  const startedAt = new Date();
  const { config, logger, redactor, signal } = context;
  redactor.add(assignment.repository?.credential?.token);
  logger.info('assignment', 'accepted', {
    agent: assignment.agent,
    model: assignment.model,
    repository: assignment.repository?.url ?? null,
    workspace: assignment.workspace.kind,
    timeoutSeconds: assignment.timeoutSeconds,
  });
  const adapter = agentAdapter(assignment.agent);
  const layout = workspaceLayout(config, assignment);
  const identity = agentIdentity(config.testAgentUid);
  const git = new Git(context.env, gitCredential(assignment), redactor);
  const platformErrors: string[] = [];
  let checkout: Checkout | undefined;
  let agent: AgentRunResult | undefined;

  try {
    await step(logger, 'workspace', () => prepareWorkspace(layout, identity));
    const repository = assignment.repository;
    if (repository) {
      checkout = await step(logger, 'clone', () => checkOut(git, {
        url: repository.url,
        baseBranch: repository.baseBranch,
        workBranch: `outpost/${assignment.dispatchId}`,
        directory: layout.workdir,
        gitRoot: layout.gitRoot,
        scratchPatterns: adapter.scratchPatterns,
        signal,
      }, logger).then(async (work) => {
        await handOverWorkTree(layout, identity);
        return work;
      }));
    }
    if (!signal.aborted) {
      agent = await step(logger, 'agent', () => runAgent({
        adapter,
        command: config.agentCommand ?? adapter.executable,
        prompt: assignment.prompt,
        model: assignment.model,
        workdir: layout.workdir,
        env: context.env,
        timeoutMs: Math.round(assignment.timeoutSeconds * 1000 * config.timeoutScale),
        signal,
        transcriptPath: layout.artifacts.transcript,
        stderrPath: layout.artifacts.stderr,
        identity,
      }, logger, redactor));
    }
  } catch (error) {
    // A step that failed because it was cancelled is not a failure of its own.
    if (!signal.aborted) {
      platformErrors.push(messageOf(error));
    }
  }

  // Just before the push and the uploads: a long run may have outlived its assignment's credentials.
  const credentials = await publishingCredentials(assignment, context.credentials, logger, redactor);
  let publication: Publication = { commit: null, branch: null };
  if (checkout) {
    const work = checkout;
    try {
      publication = await step(logger, 'publish', () => publish(new Git(context.env, credentials.git, redactor), work, commitMessage(assignment.prompt, assignment.dispatchId), layout.artifacts.patch));
    } catch (error) {
      platformErrors.push(messageOf(error));
    }
  }

  platformErrors.push(...await step(logger, 'artifacts', () => uploadArtifacts(credentials.upload, layout)));
  // After the artifacts, which matter more within a cancelled task's stop timeout than the ledger's figure.
  const workspaceSize = assignment.workspace.kind === 'persistent' ? await sizeOf(layout.workdir, logger) : undefined;
  const outcome = classifyOutcome({ cancelled: agent ? agent.aborted : signal.aborted, agent, platformErrors });
  const finishedAt = new Date();
  const result: DispatchResult = {
    dispatchId: assignment.dispatchId,
    agent: assignment.agent,
    model: assignment.model,
    status: outcome.status,
    exitCode: outcome.exitCode,
    tokenUsage: agent?.usage ? sumUsage(agent.usage) : null,
    modelUsage: agent?.usage ?? null,
    commit: publication.commit,
    branch: publication.branch,
    durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    error: outcome.error,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    ...(workspaceSize && { workspaceSize }),
  };
  try {
    const document = redactor.redact(JSON.stringify(result, null, 2));
    await step(logger, 'result', () => uploadFile(credentials.upload, 'result.json', Buffer.from(document), 'application/json'));
  } catch {
    // The control plane will never see this run's result: the task's exit code is all it has left.
    return outcome.exitCode === 0 ? 1 : outcome.exitCode;
  }
  logger.info('result', `dispatch ${outcome.status}`, { status: outcome.status, exitCode: outcome.exitCode, commit: result.commit });
  return outcome.exitCode;
}

/** What the persistent workspace holds after the run, for the ledger; the run never fails for want of it. */
async function sizeOf(workdir: string, logger: Logger): Promise<WorkspaceSize | undefined> {
  try {
    const size = await step(logger, 'measure', () => measureWorkspace(workdir));
    logger.log(size.complete ? 'info' : 'warn', 'measure', size.complete ? 'workspace measured' : 'workspace partly measured: the size is a lower bound', { ...size });
    return size;
  } catch {
    return undefined; // logged by step
  }
}

async function step<T>(logger: Logger, name: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  logger.info(name, 'started');
  try {
    const value = await run();
    logger.info(name, 'finished', { durationMs: Date.now() - started });
    return value;
  } catch (error) {
    logger.error(name, 'failed', { durationMs: Date.now() - started, error: messageOf(error) });
    throw error;
  }
}
