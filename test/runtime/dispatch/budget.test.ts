import { dispatchBudget } from '../../../runtime/core/dispatch/budget';
import { newDispatch, toPublicView } from '../../../runtime/core/dispatch/dispatch';
import { MAX_COST_USD, parseDispatchRequest } from '../../../runtime/core/dispatch/request';

const MINIMAL = { agent: 'codex', prompt: 'add a --verbose flag' };

function rejection(body: Record<string, unknown>) {
  const parsed = parseDispatchRequest(JSON.stringify(body));
  if (parsed.ok) {
    throw new Error(`accepted: ${JSON.stringify(body)}`);
  }
  return parsed.error;
}

describe('maxCostUsd in POST /dispatch', () => {
  test('a positive number of dollars is kept; absent, the request has none', () => {
    const parsed = parseDispatchRequest(JSON.stringify({ ...MINIMAL, maxCostUsd: 2.5 }));
    expect(parsed.ok && parsed.request.maxCostUsd).toBe(2.5);
    const without = parseDispatchRequest(JSON.stringify(MINIMAL));
    expect(without.ok && 'maxCostUsd' in without.request).toBe(false);
  });

  test.each([
    [0, 'maxCostUsd must be more than 0'],
    [-1, 'maxCostUsd must be more than 0'],
    [MAX_COST_USD + 1, `maxCostUsd must be at most ${MAX_COST_USD}`],
    ['5', 'maxCostUsd must be a number of US dollars'],
    [null, 'maxCostUsd must be a number of US dollars'],
  ])('%p is a 400 naming the field', (value, message) => {
    expect(rejection({ ...MINIMAL, maxCostUsd: value })).toEqual({ status: 400, code: 'InvalidField', field: 'maxCostUsd', message });
  });
});

describe('dispatchBudget: the request\'s limit, the platform default, the ceiling', () => {
  test('without settings, the request\'s value or none', () => {
    expect(dispatchBudget(3, undefined)).toEqual({ ok: true, maxCostUsd: 3 });
    expect(dispatchBudget(undefined, undefined)).toEqual({ ok: true });
    expect(dispatchBudget(undefined, {})).toEqual({ ok: true });
  });

  test('the default applies to a request that names none; a request\'s own value wins, above or below it', () => {
    const policy = { defaultMaxCostUsd: 5 };
    expect(dispatchBudget(undefined, policy)).toEqual({ ok: true, maxCostUsd: 5 });
    expect(dispatchBudget(1, policy)).toEqual({ ok: true, maxCostUsd: 1 });
    expect(dispatchBudget(50, policy)).toEqual({ ok: true, maxCostUsd: 50 });
  });

  test('the ceiling refuses more with a 400 naming the field and what to do; a request without a value gets the default, else the ceiling', () => {
    expect(dispatchBudget(21, { defaultMaxCostUsd: 5, maxCostUsdLimit: 20 })).toEqual({
      ok: false,
      error: {
        status: 400,
        code: 'InvalidField',
        field: 'maxCostUsd',
        message: 'maxCostUsd must be at most 20, this platform\'s limit per dispatch: ask for less, or ask the platform team to raise maxCostUsdLimit',
      },
    });
    expect(dispatchBudget(20, { maxCostUsdLimit: 20 })).toEqual({ ok: true, maxCostUsd: 20 });
    expect(dispatchBudget(undefined, { defaultMaxCostUsd: 5, maxCostUsdLimit: 20 })).toEqual({ ok: true, maxCostUsd: 5 });
    expect(dispatchBudget(undefined, { maxCostUsdLimit: 20 })).toEqual({ ok: true, maxCostUsd: 20 });
  });

  test('the limit is stored on the dispatch and shown in its view; none is left out, as DynamoDB requires', () => {
    const parsed = parseDispatchRequest(JSON.stringify(MINIMAL));
    if (!parsed.ok) {
      throw new Error('refused');
    }
    const now = new Date('2026-12-07T12:00:00Z');
    const limited = newDispatch(parsed.request, 'alice', now, '01JD3V4N6Q8W2X5Y7Z9A1B3C4D', 4);
    expect(limited.maxCostUsd).toBe(4);
    expect(toPublicView(limited).maxCostUsd).toBe(4);
    expect('maxCostUsd' in newDispatch(parsed.request, 'alice', now, '01JD3V4N6Q8W2X5Y7Z9A1B3C4D')).toBe(false);
  });
});
