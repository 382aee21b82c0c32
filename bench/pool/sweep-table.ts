import { alignedRows, markdownRows } from './table';
import type { CostedResult } from '../../runtime/core/pool/simulator/cost';
import { SWEEP_FAMILIES, type SweepCandidate, type SweepResult } from '../../runtime/core/pool/simulator/sweep/sweep';

const HEADINGS = ['family', 'best in hindsight', 'tried', 'warm', 'wait p95 s', 'idle worker-h', 'fargate $', 'wait h', 'total $'];

function cells(result: CostedResult): string[] {
  return [
    `${(result.warmRatio * 100).toFixed(1)}%`,
    result.waitP95Seconds.toFixed(1),
    result.idleWorkerHours.toFixed(1),
    result.fargateUsd.toFixed(2),
    result.waitHours.toFixed(2),
    result.totalCostUsd.toFixed(2),
  ];
}

function rows(sweep: SweepResult, defaultResult: CostedResult): string[][] {
  return [
    ...SWEEP_FAMILIES.map((name) => {
      const { best, candidates } = sweep.families[name];
      return [name, best.label, String(candidates.length), ...cells(best.result)];
    }),
    ['default', 'the default policy', '1', ...cells(defaultResult)],
  ];
}

/** How far the default's total cost is above the best static setting's. */
function verdict(best: SweepCandidate, defaultResult: CostedResult): string {
  const excess = (defaultResult.totalCostUsd / best.result.totalCostUsd - 1) * 100;
  return `best static setting in hindsight: ${best.label} (${best.family}), total $${best.result.totalCostUsd.toFixed(2)}; `
    + `the default policy: $${defaultResult.totalCostUsd.toFixed(2)}, ${excess >= 0 ? `${excess.toFixed(1)}% above` : `${(-excess).toFixed(1)}% below`} it`;
}

export function sweepTextTable(sweep: SweepResult, defaultResult: CostedResult): string {
  return `${alignedRows([HEADINGS, ...rows(sweep, defaultResult)])}\n${verdict(sweep.best, defaultResult)}`;
}

export function sweepMarkdownTable(sweep: SweepResult, defaultResult: CostedResult): string {
  return `${markdownRows([HEADINGS, HEADINGS.map(() => '---'), ...rows(sweep, defaultResult)])}\n\n${verdict(sweep.best, defaultResult)}`;
}
