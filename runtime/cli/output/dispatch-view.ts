import { formatUsd, reasonText } from './budget';
import { modelUsageLines } from './model-usage';
import type { Style } from './style';
import { table } from './table';
import type { DispatchView } from '../../core/dispatch/dispatch';

/** One dispatch, a field a line, for `status`. */
export function dispatchDetails(view: DispatchView, style: Style): string {
  const fields: Array<[string, string | undefined]> = [
    ['id', view.id],
    ['status', style.status(view.status)],
    ['reason', reasonText(view)],
    ['agent', view.agent],
    ['model', [view.model, view.modelTier && `(${view.modelTier})`].filter(Boolean).join(' ') || undefined],
    ['prompt', view.promptPreview],
    ['created', view.createdAt],
    ['started', view.startedAt && `${view.startedAt}${view.warm === undefined ? '' : view.warm ? ' (warm)' : ' (cold)'}`],
    ['finished', view.finishedAt],
    ['deadline', view.deadline],
    ['exit code', view.exitCode?.toString()],
    ['error', view.error && style.paint('red', view.error)],
    ['branch', view.result?.branch ?? undefined],
    ['commit', view.result?.commit ?? undefined],
    ['duration', view.result?.durationSeconds === undefined ? undefined : `${view.result.durationSeconds.toFixed(1)} s`],
    // One line a model, the field named on the first only.
    ...modelUsageLines(view).map((line, index): [string, string] => [index === 0 ? 'tokens' : '', line]),
    ['budget', view.maxCostUsd === undefined ? undefined : formatUsd(view.maxCostUsd)],
    ['cost', view.cost && `~$${view.cost.estimatedUsd.toFixed(4)}`],
  ];
  const shown = fields.filter((field): field is [string, string] => field[1] !== undefined && field[1] !== '');
  const width = Math.max(...shown.map(([name]) => name.length));
  return shown.map(([name, value]) => `${style.paint('dim', name.padEnd(width))}  ${value}`).join('\n');
}

const PROMPT_WIDTH = 60;

/** Dispatches as a table, for `list`. */
export function dispatchTable(views: readonly DispatchView[], style: Style): string {
  return table([
    { heading: 'id' },
    { heading: 'status', paint: (padded, raw) => padded.replace(raw, style.status(raw as DispatchView['status'])) },
    { heading: 'agent' },
    { heading: 'created' },
    { heading: 'exit', align: 'right' },
    { heading: 'prompt' },
  ], views.map((view) => [
    view.id,
    view.status,
    view.agent,
    view.createdAt.replace(/\.\d+Z$/, 'Z'),
    view.exitCode?.toString() ?? '',
    oneLine(view.promptPreview, PROMPT_WIDTH),
  ]));
}

function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}
