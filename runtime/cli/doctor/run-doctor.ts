import type { OutpostClient } from '../../client/outpost-client';
import type { AgentName } from '../../contracts/agent-names';
import type { FleetHealth } from '../../core/fleet-health';
import type { HealthReport } from '../../core/health';
import { UsageError } from '../exit';
import { canaryCheck } from './canary';
import { endpointCheck } from './endpoint-check';
import { fleetChecks } from './fleet-checks';
import { doctorReport, fail, skip, type DoctorCheck, type DoctorReport } from './report';

export interface DoctorOptions {
  /** The agents to check; all the platform runs when absent. */
  readonly agents?: readonly string[];
  /** Run a canary dispatch per agent. */
  readonly canary: boolean;
  /** How long each canary may take, cold start included. */
  readonly timeoutSeconds: number;
  readonly pollIntervalMs: number;
}

/** Every check, in order: the endpoint first (nothing else can run without it), then each agent's setup, then the canaries. */
export async function runDoctor(client: OutpostClient, endpoint: string, options: DoctorOptions): Promise<DoctorReport> {
  const health = await client.health().then((report: HealthReport) => ({ report }), (error: unknown) => ({ error }));
  const endpointResult = endpointCheck(endpoint, health);
  if (endpointResult.status === 'fail') {
    return doctorReport(endpoint, [endpointResult, skip('readiness', 'platform', 'not checked: the endpoint check failed')]);
  }
  let fleet: FleetHealth;
  try {
    fleet = await client.fleetHealth();
  } catch (error) {
    return doctorReport(endpoint, [endpointResult, fail('readiness', 'platform', `GET /health/fleet failed: ${error instanceof Error ? error.message : String(error)}`,
      'the caller needs the platform\'s grantRead; if it has it, see the fleet-health function\'s log')]);
  }
  const agents = chosenAgents(options.agents, Object.keys(fleet.agents));
  const setup = fleetChecks(fleet, agents);
  const canaries = await Promise.all(agents.map(async (agent): Promise<DoctorCheck> => {
    if (!options.canary) {
      return skip('canary', agent, 'not run (--no-canary)');
    }
    const blocking = setup.find((check) => check.status === 'fail' && (check.subject === agent || (check.kind === 'secret' && fleet.readiness?.agents[agent]?.secretId === check.subject)));
    if (blocking) {
      return skip('canary', agent, `not run: its ${blocking.kind} check failed`);
    }
    return canaryCheck(client, agent as AgentName, options);
  }));
  return doctorReport(endpoint, [endpointResult, ...setup, ...canaries]);
}

/** `--agents`, each one the platform runs; or all of them. */
function chosenAgents(asked: readonly string[] | undefined, platform: readonly string[]): string[] {
  if (asked === undefined) {
    return [...platform];
  }
  const absent = asked.filter((agent) => !platform.includes(agent));
  if (absent.length > 0) {
    throw new UsageError(`--agents names ${absent.join(', ')}, which this platform does not run: it runs ${platform.join(', ')}`);
  }
  return [...new Set(asked)];
}
