import { dispatchDetails } from '../../../runtime/cli/output/dispatch-view';
import { Style } from '../../../runtime/cli/output/style';
import { toPublicView, type Dispatch } from '../../../runtime/core/dispatch/dispatch';
import { DispatchStatus } from '../../../runtime/core/dispatch/states';
import { costSummary, dispatchCost } from '../../../runtime/core/ledger/cost';
import { CLAUDE_SIZE, finished, PER_MODEL_PRICING } from '../ledger/support';

const plain = new Style(false);

/** `dispatch` as `outpost status` prints it after the ledger priced it with the ledger tests' table. */
function shown(dispatch: Dispatch): string {
  const cost = costSummary(dispatchCost({ dispatch, agent: CLAUDE_SIZE, pricing: PER_MODEL_PRICING, region: 'us-east-1' }));
  return dispatchDetails(toPublicView({ ...dispatch, cost }), plain);
}

describe('outpost status: tokens by model', () => {
  test('a line for each model that ran, with its tokens and what the ledger priced them at', () => {
    const text = shown(finished({
      model: 'claude-opus-4-1',
      result: {
        ...finished().result!,
        tokenUsage: { input: 1_100_000, cached: 250_000, cacheWrite: 40_000, output: 105_000 },
        modelUsage: [
          { model: 'claude-opus-4-6', input: 1_000_000, cached: 250_000, cacheWrite: 40_000, output: 100_000 },
          { model: 'claude-haiku-4-5-20251001', input: 100_000, cached: 0, cacheWrite: 0, output: 5_000 },
        ],
      },
    }));
    // Opus 4.6: 710,000 uncached × $5 + 250,000 cached × $0.50 + 40,000 written × $6.25 + 100,000 out × $25, per million.
    expect(text).toMatch(/^tokens +claude-opus-4-6: 1,000,000 in \(250,000 cached, 40,000 written to cache\), 100,000 out, ~\$6\.4250$/m);
    expect(text).toMatch(/^ +claude-haiku-4-5-20251001: 100,000 in, 5,000 out, ~\$0\.1250$/m);
    expect(text.indexOf('claude-haiku')).toBeGreaterThan(text.indexOf('claude-opus-4-6'));
  });

  test('a result from a worker before per-model usage shows its total as the model asked for', () => {
    const text = shown(finished({ model: 'claude-opus-4-1' }));
    expect(text).toMatch(/^tokens +claude-opus-4-1: 1,000,000 in \(250,000 cached\), 100,000 out, ~\$19\.1250$/m);
  });

  test('unpriced, the tokens show without a cost; without usage, no tokens line', () => {
    const unpriced = dispatchDetails(toPublicView(finished({ result: { ...finished().result!, modelUsage: [{ model: 'gpt-5-codex', input: 10, cached: 0, cacheWrite: 0, output: 2 }] } })), plain);
    expect(unpriced).toMatch(/^tokens +gpt-5-codex: 10 in, 2 out$/m);
    const unreported = { commit: null, branch: null, tokenUsage: null, modelUsage: null, durationSeconds: 1 };
    const none = dispatchDetails(toPublicView(finished({ result: unreported })), plain);
    expect(none).not.toMatch(/^tokens/m);
  });
});

describe('outpost status: budgets', () => {
  test('the limit in dollars, as people write them; none, no line', () => {
    expect(dispatchDetails(toPublicView({ ...finished(), maxCostUsd: 2.5 }), plain)).toMatch(/^budget +\$2\.50$/m);
    expect(dispatchDetails(toPublicView({ ...finished(), maxCostUsd: 40 }), plain)).toMatch(/^budget +\$40$/m);
    expect(dispatchDetails(toPublicView({ ...finished(), maxCostUsd: 0.125 }), plain)).toMatch(/^budget +\$0\.125$/m);
    expect(dispatchDetails(toPublicView(finished()), plain)).not.toMatch(/^budget/m);
  });

  test('a run its budget stopped: the reason says what happened; another reason shows as it is', () => {
    const stopped = { ...finished(), status: DispatchStatus.FAILED, statusReason: 'BudgetExceeded', maxCostUsd: 3 };
    expect(dispatchDetails(toPublicView(stopped), plain)).toMatch(/^reason +BudgetExceeded: the run's models reached its budget of \$3; the work done so far was pushed$/m);
    expect(dispatchDetails(toPublicView({ ...stopped, statusReason: 'SPOT_INTERRUPTED' }), plain)).toMatch(/^reason +SPOT_INTERRUPTED$/m);
  });
});
