import { combinedResult, meanSeconds } from './combine';
import { hourOfWeekLevels } from './hour-of-week-levels';
import type { PoolPolicy } from '../../policy/policy';
import { fixedPool } from '../baselines/fixed-pool';
import { hourOfWeekSchedule } from '../baselines/hour-of-week-schedule';
import { ORIGINAL_RULE, originalRuleWith } from '../baselines/original-rule';
import type { ComparisonOptions } from '../compare';
import type { CostedResult } from '../cost';
import { taskHourPrice } from '../pricing';
import type { Run } from '../run';
import { simulatePolicy } from '../simulator';
import type { TraceDispatch } from '../trace';

export const SWEEP_FAMILIES = ['fixed', 'original-rule', 'busiest', 'hour-of-week'] as const;
export type SweepFamily = (typeof SWEEP_FAMILIES)[number];

/** One static configuration tried, and what it gave. */
export interface SweepCandidate {
  readonly family: SweepFamily;
  /** Short, for tables: `fixed 2`, `busiest 3 at 1`. */
  readonly label: string;
  /** The configuration's parameters. */
  readonly settings: Readonly<Record<string, number | readonly string[] | Readonly<Record<string, number>>>>;
  readonly result: CostedResult;
}

export interface FamilySweep {
  /** The family's lowest total cost. */
  readonly best: SweepCandidate;
  readonly candidates: readonly SweepCandidate[];
}

export interface SweepResult {
  readonly waitValueUsdPerHour: number;
  readonly families: Record<SweepFamily, FamilySweep>;
  /** The lowest total cost of every configuration tried: the best static setting in hindsight. */
  readonly best: SweepCandidate;
}

export interface SweepOptions extends ComparisonOptions {
  readonly waitValueUsdPerHour: number;
}

/** The fixed family grows N until its total cost has risen for this many sizes past its best, up to {@link MAX_FIXED}. */
const FIXED_PATIENCE = 2;
const MAX_FIXED = 30;
/** The original rule's grid: its floor and when a worker counts as long idle; its cap and cooldown as designed. */
const ORIGINAL_RULE_GRID = { minSize: [0, 1, 2, 3, 4], idleForMinutes: [5, 30] } as const;
/**
 * The scaler's tick for the static pools (fixed, busiest, hour of week): they act on events (a claimed worker is
 * replaced at once), so the tick only restarts a worker whose launch failed and moves the schedules' hours,
 * which start their next level this much earlier. Ten minutes instead of one makes their runs about 7 times faster.
 */
const STATIC_TICK_SECONDS = 600;
/** `minIdle` for the k busiest agents. */
const BUSIEST_LEVELS = [1, 2] as const;
/** Hour-of-week schedules keep a worker when it saves this many times its idle cost: the fewest workers first. */
const SCHEDULE_THRESHOLDS = [16, 8, 4, 2, 1, 0.5, 0.25, 0.1] as const;
/** The most workers an hour of week keeps. */
const MAX_SCHEDULE_LEVEL = 20;

/**
 * Static configurations on the trace, each judged by its total cost (Fargate plus the waits at the wait value):
 * the best setting in hindsight for each family, and overall (docs/pool.md, "Sweeping static settings"). Each
 * agent's pool is simulated on its own dispatches, so a configuration can differ per agent (the busiest agents,
 * the hour-of-week schedules). The caller puts the default policy's result beside them.
 */
export function sweepStaticSettings(trace: readonly TraceDispatch[], options: SweepOptions): SweepResult {
  const sweep = new Sweep(trace, options);
  const families: Record<SweepFamily, FamilySweep> = {
    'fixed': family(sweep.fixed()),
    'original-rule': family(sweep.originalRules()),
    'busiest': family(sweep.busiest()),
    'hour-of-week': family(sweep.hourOfWeek()),
  };
  const best = cheapest(SWEEP_FAMILIES.map((name) => families[name].best));
  return { waitValueUsdPerHour: options.waitValueUsdPerHour, families, best };
}

function family(candidates: readonly SweepCandidate[]): FamilySweep {
  return { best: cheapest(candidates), candidates };
}

/** The lowest total cost; of equals, the first tried (the smaller configuration). */
function cheapest(candidates: readonly SweepCandidate[]): SweepCandidate {
  return candidates.reduce((best, candidate) => (candidate.result.totalCostUsd < best.result.totalCostUsd ? candidate : best));
}

class Sweep {
  /** Each agent's dispatches, busiest agent first. */
  private readonly agents: ReadonlyArray<readonly [string, readonly TraceDispatch[]]>;
  /** The fixed pools' runs by agent and size, which the busiest family reuses: only what the results need. */
  private readonly runs = new Map<string, Pick<Run, 'dispatches' | 'tasks'>>();

  constructor(trace: readonly TraceDispatch[], private readonly options: SweepOptions) {
    const byAgent = new Map<string, TraceDispatch[]>();
    for (const dispatch of trace) {
      const dispatches = byAgent.get(dispatch.agent) ?? [];
      dispatches.push(dispatch);
      byAgent.set(dispatch.agent, dispatches);
    }
    this.agents = [...byAgent.entries()].sort(([a, left], [b, right]) => right.length - left.length || a.localeCompare(b));
  }

  public fixed(): SweepCandidate[] {
    const candidates: SweepCandidate[] = [];
    let best = 0;
    for (let size = 0; size <= MAX_FIXED && size - best <= FIXED_PATIENCE; size++) {
      const result = this.result(() => fixedPool(size), STATIC_TICK_SECONDS, () => `fixed ${size}`);
      candidates.push({ family: 'fixed', label: `fixed ${size}`, settings: { minIdle: size }, result });
      best = result.totalCostUsd < candidates[best].result.totalCostUsd ? size : best;
    }
    return candidates;
  }

  public originalRules(): SweepCandidate[] {
    return ORIGINAL_RULE_GRID.minSize.flatMap((minSize) => ORIGINAL_RULE_GRID.idleForMinutes.map((idleForMinutes) => {
      const rule = { ...ORIGINAL_RULE, minSize, idleForMs: idleForMinutes * 60_000 };
      const label = `original-rule min ${minSize} idle ${idleForMinutes} min`;
      const settings = { minSize, maxSize: rule.maxSize, cooldownMinutes: rule.cooldownMs / 60_000, idleForMinutes };
      return { family: 'original-rule' as const, label, settings, result: this.result(() => originalRuleWith(rule), this.options.tickSeconds) };
    }));
  }

  public busiest(): SweepCandidate[] {
    return BUSIEST_LEVELS.flatMap((minIdle) => this.agents.map((_, index) => {
      const chosen = this.agents.slice(0, index + 1).map(([name]) => name);
      const size = (agent: string) => (chosen.includes(agent) ? minIdle : 0);
      const result = this.result((agent) => fixedPool(size(agent)), STATIC_TICK_SECONDS, (agent) => `fixed ${size(agent)}`);
      return { family: 'busiest' as const, label: `busiest ${chosen.length} at ${minIdle}`, settings: { minIdle, agents: chosen }, result };
    }));
  }

  public hourOfWeek(): SweepCandidate[] {
    const coldStartSeconds = meanSeconds(this.options.coldStart);
    const workerHourUsd = taskHourPrice(this.options.pricing);
    return SCHEDULE_THRESHOLDS.map((threshold) => {
      const workerHoursPerWeek: Record<string, number> = {};
      const policies = new Map(this.agents.map(([name, dispatches]) => {
        const levels = hourOfWeekLevels({
          arrivals: dispatches.map((dispatch) => dispatch.at),
          coldStartSeconds,
          waitValueUsdPerHour: this.options.waitValueUsdPerHour,
          workerHourUsd,
          threshold,
          maxLevel: MAX_SCHEDULE_LEVEL,
        });
        workerHoursPerWeek[name] = levels.reduce((sum, level) => sum + level, 0);
        return [name, hourOfWeekSchedule(levels, STATIC_TICK_SECONDS)];
      }));
      const label = `hour-of-week ×${threshold}`;
      const result = this.result((agent) => policies.get(agent)!, STATIC_TICK_SECONDS);
      return { family: 'hour-of-week' as const, label, settings: { threshold, workerHoursPerWeek }, result };
    });
  }

  /** Every agent under its policy, each on its own dispatches; a `key` keeps an agent's run for reuse. */
  private result(policyOf: (agent: string) => PoolPolicy, tickSeconds: number, key?: (agent: string) => string): CostedResult {
    const runs = this.agents.map(([name, dispatches]) => {
      const runKey = key && `${name}\u0000${key(name)}`;
      const kept = runKey === undefined ? undefined : this.runs.get(runKey);
      if (kept) {
        return kept;
      }
      // The pool's samples are for charts, and they are most of a run's memory: only the results' parts are kept.
      const { dispatches: outcomes, tasks } = simulatePolicy(dispatches, policyOf(name), { ...this.options, tickSeconds });
      if (runKey !== undefined) {
        this.runs.set(runKey, { dispatches: outcomes, tasks });
      }
      return { dispatches: outcomes, tasks };
    });
    return combinedResult(runs, this.options.pricing, this.options.waitValueUsdPerHour);
  }
}
