import type { ConformanceRun } from './run-worker';
import type { AgentName } from '../../../runtime/contracts/agent-names';
import { agentAdapter } from '../../../runtime/worker/agents';

/** What the CLI itself reported in its output, as its adapter reads it: the cross-check of the gateway's meter. */
export function cliUsage(agent: AgentName, run: ConformanceRun) {
  return agentAdapter(agent).report({ requestedModel: run.result?.model, stdout: run.transcript ?? '', stderr: run.stderr ?? '', exitCode: run.exitCode }).usage;
}
