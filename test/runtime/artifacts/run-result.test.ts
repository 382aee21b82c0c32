import * as fc from 'fast-check';
import { workerDocument, workerResult } from './worker-result';
import type { DispatchResult } from '../../../runtime/contracts/dispatch-result';
import { summarizeResult } from '../../../runtime/core/artifacts/result-summary';
import { parseRunResult, type RunResult } from '../../../runtime/core/artifacts/run-result';
import { newDispatchId } from '../../worker/support/ids';

const ID = newDispatchId();
const COMMIT = '3f786850e387550fdab836ed7e6dc881de23001b';
const published = { commit: COMMIT, branch: `outpost/${ID}`, tokenUsage: { input: 30818, output: 241, cached: 29283 } };
const nothingPublished = { commit: null, branch: null, tokenUsage: null };

describe('parseRunResult on what the worker writes', () => {
  test.each([
    ['succeeded', workerResult(ID, { cancelled: false, agent: { exitCode: 0, timedOut: false }, platformErrors: [] }, published)],
    ['failed', workerResult(ID, { cancelled: false, agent: { exitCode: 2, timedOut: false }, platformErrors: [] }, published)],
    ['failed before the agent ran', workerResult(ID, { cancelled: false, agent: undefined, platformErrors: ['git clone exited with 128'] }, nothingPublished)],
    ['timed_out', workerResult(ID, { cancelled: false, agent: { exitCode: 143, timedOut: true }, platformErrors: [] }, published)],
    ['cancelled', workerResult(ID, { cancelled: true, agent: undefined, platformErrors: [] }, nothingPublished)],
  ])('%s', (_, written) => {
    const parsed = parseRunResult(workerDocument(written), ID);
    expect(parsed).toEqual({ ok: true, result: written });
    // The two types describe one document: each is assignable to the other (checked by tsc).
    const asDispatchResult: DispatchResult | undefined = parsed.ok ? parsed.result : undefined;
    const asRunResult: RunResult = written;
    expect(asDispatchResult).toEqual(asRunResult);
  });

  test('drops fields it does not know, so a newer worker does not break the control plane', () => {
    const written = workerResult(ID, { cancelled: false, agent: { exitCode: 0, timedOut: false }, platformErrors: [] }, published);
    expect(parseRunResult(JSON.stringify({ ...written, costUsd: 0.12 }))).toEqual({ ok: true, result: written });
  });

  test("a persistent workspace's size", () => {
    const succeeded = workerResult(ID, { cancelled: false, agent: { exitCode: 0, timedOut: false }, platformErrors: [] }, published);
    const written = { ...succeeded, workspaceSize: { bytes: 123_456_789_012, complete: true } };
    expect(parseRunResult(workerDocument(written), ID)).toEqual({ ok: true, result: written });
  });
});

describe('parseRunResult on anything else', () => {
  const good = workerResult(ID, { cancelled: false, agent: { exitCode: 0, timedOut: false }, platformErrors: [] }, published);
  const document = workerDocument(good);

  test.each([
    ['empty', '', /^result\.json is not JSON: /],
    ['truncated mid-upload', document.slice(0, document.length / 2), /^result\.json is not JSON: /],
    ['not an object', '[]', /^result\.json is malformed: /],
    ['null', 'null', /^result\.json is malformed: /],
    ['a missing field', JSON.stringify({ ...good, finishedAt: undefined }), /^result\.json is malformed: finishedAt: /],
    ['an unknown status', JSON.stringify({ ...good, status: 'done' }), /^result\.json is malformed: status: /],
    ['an unknown agent', JSON.stringify({ ...good, agent: 'copilot' }), /^result\.json is malformed: agent: /],
    ['negative token counts', JSON.stringify({ ...good, tokenUsage: { input: -1, output: 0, cached: 0 } }), /^result\.json is malformed: tokenUsage\.input: /],
    ['a fractional exit code', JSON.stringify({ ...good, exitCode: 1.5 }), /^result\.json is malformed: exitCode: /],
    ['an abbreviated commit', JSON.stringify({ ...good, commit: COMMIT.slice(0, 7) }), /^result\.json is malformed: commit: must be a git object id$/],
    ['a time that is not ISO-8601', JSON.stringify({ ...good, startedAt: 'yesterday' }), /^result\.json is malformed: startedAt: /],
    ['a negative workspace size', JSON.stringify({ ...good, workspaceSize: { bytes: -1, complete: true } }), /^result\.json is malformed: workspaceSize\.bytes: /],
    ['a workspace size without its completeness', JSON.stringify({ ...good, workspaceSize: { bytes: 4096 } }), /^result\.json is malformed: workspaceSize\.complete: /],
    ['a dispatch id that is not a ULID', JSON.stringify({ ...good, dispatchId: 'x' }), /^result\.json is malformed: dispatchId: must be a ULID$/],
  ])('%s: a reason, not an exception', (_, text, reason) => {
    const parsed = parseRunResult(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toMatch(reason);
  });

  test("another dispatch's result, copied into this prefix, is refused", () => {
    const other = newDispatchId();
    expect(parseRunResult(document, other)).toEqual({ ok: false, reason: `result.json belongs to dispatch ${ID}, not ${other}` });
  });

  test('never throws, whatever the text', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
      expect(typeof parseRunResult(text).ok).toBe('boolean');
    }));
  });
});

describe('summarizeResult', () => {
  const result = workerResult(ID, { cancelled: false, agent: { exitCode: 2, timedOut: false }, platformErrors: [] }, published);

  test('what the dispatch keeps: what the run produced, nothing that repeats the dispatch record or its status', () => {
    expect(summarizeResult(result)).toStrictEqual({
      commit: COMMIT,
      branch: `outpost/${ID}`,
      tokenUsage: { input: 30818, output: 241, cached: 29283 },
      durationSeconds: 12.345,
    });
  });

  test("a persistent workspace's size, when the worker measured it", () => {
    const workspaceSize = { bytes: 5_368_709_120, complete: false };
    expect(summarizeResult({ ...result, workspaceSize })).toMatchObject({ commit: COMMIT, workspaceSize });
  });
});

describe('parseRunResult on a failure named by code', () => {
  const failed = workerResult(ID, { cancelled: false, agent: { exitCode: 1, timedOut: false }, platformErrors: [] }, published);

  test('BudgetExceeded is read', () => {
    const written: DispatchResult = { ...failed, failureCode: 'BudgetExceeded' };
    expect(parseRunResult(workerDocument(written), ID)).toEqual({ ok: true, result: written });
  });

  test('a code this control plane does not know reads as none: the result stays readable', () => {
    const parsed = parseRunResult(JSON.stringify({ ...failed, failureCode: 'SomethingNewer' }), ID);
    expect(parsed.ok && parsed.result.failureCode).toBeUndefined();
    expect(parsed.ok && parsed.result.status).toBe('failed');
  });
});
