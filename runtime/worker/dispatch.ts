import { agentIdentity } from './agent-identity';
import { runAgent, type AgentRunResult } from './agent-run';
import { agentAdapter } from './agents';
import { sumUsage } from './agents/usage';
import { uploadArtifacts } from './artifacts';
import { commitMessage } from './commit-message';
import type { WorkerConfig } from './config';
import { gitCredential, publishingCredentials, type CredentialRenewal } from './credential-renewal';
import { messageOf } from './error-message';
import { adapterEnvironment, withoutProviderKeys } from './gateway/adapter-environment';
import { ModelGateway } from './gateway/gateway';
import { Git } from './git';
import type { Logger } from './logger';
import type { Redactor } from './redactor';
import { checkOut, publish, type Checkout, type Publication } from './repository';
import { classifyOutcome, type BudgetStop } from './result';
import { uploadFile } from './upload';
import { handOverWorkTree, prepareWorkspace, workspaceLayout } from './workspace';
import { measureWorkspace } from './workspace-size';
import type { Assignment } from '../contracts/assignment';
import { type DispatchResult } from '../contracts/dispatch-result';
import type { ModelUsage } from '../contracts/token-usage';
import { type WorkspaceSize } from '../contracts/workspace-size';

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
  const gitEnvironment = withoutProviderKeys(context.env);
  const git = new Git(gitEnvironment, gitCredential(assignment), redactor);
  const platformErrors: string[] = [];
  let checkout: Checkout | undefined;
  let agent: AgentRunResult | undefined;
  let gateway: ModelGateway | undefined;
  // The gateway stops the agent when the spend reaches the budget: SIGTERM or that, whichever comes first.
  let budgetStop: BudgetStop | undefined;
  const budget = new AbortController();

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
      gateway = await step(logger, 'gateway', () => ModelGateway.start({
        env: context.env,
        budget: assignment.budget,
        logger,
        onBudgetExceeded: (spentUsd, limitUsd) => {
          budgetStop = { spentUsd, limitUsd };
          budget.abort();
        },
      }));
      const started = gateway;
      agent = await step(logger, 'agent', () => runAgent({
        adapter,
        command: config.agentCommand ?? adapter.executable,
        prompt: assignment.prompt,
        model: assignment.model,
        workdir: layout.workdir,
        env: adapterEnvironment(context.env, started),
        timeoutMs: Math.round(assignment.timeoutSeconds * 1000 * config.timeoutScale),
        signal: AbortSignal.any([signal, budget.signal]),
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
  await gateway?.close();
  const usage = meteredUsage(gateway, agent, logger);

  // Just before the push and the uploads: a long run may have outlived its assignment's credentials.
  const credentials = await publishingCredentials(assignment, context.credentials, logger, redactor);
  let publication: Publication = { commit: null, branch: null };
  if (checkout) {
    const work = checkout;
    try {
      publication = await step(logger, 'publish', () => publish(new Git(gitEnvironment, credentials.git, redactor), work, commitMessage(assignment.prompt, assignment.dispatchId), layout.artifacts.patch));
    } catch (error) {
      platformErrors.push(messageOf(error));
    }
  }

  platformErrors.push(...await step(logger, 'artifacts', () => uploadArtifacts(credentials.upload, layout)));
  // After the artifacts, which matter more within a cancelled task's stop timeout than the ledger's figure.
  const workspaceSize = assignment.workspace.kind === 'persistent' ? await sizeOf(layout.workdir, logger) : undefined;
  // An agent the gateway stopped at its budget was not cancelled: the budget stops it through the same signal.
  const cancelled = !budgetStop && (agent ? agent.aborted : signal.aborted);
  const outcome = classifyOutcome({ cancelled, budgetExceeded: budgetStop, agent, platformErrors });
  const finishedAt = new Date();
  const result: DispatchResult = {
    dispatchId: assignment.dispatchId,
    agent: assignment.agent,
    model: assignment.model,
    status: outcome.status,
    exitCode: outcome.exitCode,
    tokenUsage: usage ? sumUsage(usage) : null,
    modelUsage: usage,
    commit: publication.commit,
    branch: publication.branch,
    durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    error: outcome.error,
    ...(outcome.failureCode && { failureCode: outcome.failureCode }),
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

/**
 * The run's usage: the gateway's, read from the provider's responses, whenever it carried the agent's provider; the
 * CLI's own figures only for a task whose provider it does not carry, and otherwise a cross-check, logged when they differ.
 */
function meteredUsage(gateway: ModelGateway | undefined, agent: AgentRunResult | undefined, logger: Logger): ModelUsage[] | null {
  if (!gateway || gateway.providers.length === 0) {
    return agent?.usage ?? null;
  }
  const metered = gateway.meter.usage();
  if (agent && JSON.stringify(agent.usage) !== JSON.stringify(metered)) {
    logger.warn('gateway', 'the CLI reported other usage than the gateway metered: result.json has the gateway\'s', { metered, reported: agent.usage });
  }
  return metered;
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
