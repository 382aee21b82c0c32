import { publishMetrics } from '../../../runtime/adapters/emf-metrics';
import { forDispatch } from '../../../runtime/lambda/correlation';
import { JsonLogger } from '../../../runtime/lambda/json-log';
import { printed } from '../../support/printed';

const ID = '01JD3V4N6Q8W2X5Y7Z9A1B3C4D';

describe('JsonLogger', () => {
  test('a JSON line with level, message, time, service and the fields; errors with their name, message and stack', async () => {
    const [line] = await printed(() => new JsonLogger('outpost-pool-scaler').error('a pool run failed', { agent: 'claude', error: new TypeError('boom') }));
    expect(line).toMatchObject({ level: 'ERROR', message: 'a pool run failed', service: 'outpost-pool-scaler', agent: 'claude', error: { name: 'TypeError', message: 'boom' } });
    expect(line.error.stack).toContain('TypeError: boom');
    expect(Date.parse(line.timestamp)).not.toBeNaN();
  });

  test('the correlation id is on every line, as Powertools\' Logger writes it, until the keys are reset', async () => {
    const logger = new JsonLogger('outpost-sweeper');
    const lines = await printed(() => {
      logger.setCorrelationId(ID);
      logger.info('one');
      logger.warn('two', { agent: 'codex' });
      logger.resetKeys();
      logger.info('three');
    });
    expect(lines.map((line) => [line.message, line.correlation_id])).toEqual([['one', ID], ['two', ID], ['three', undefined]]);
  });

  test('appended keys are on every line with the correlation id, until the keys are reset', async () => {
    const logger = new JsonLogger('outpost-task-ready');
    const lines = await printed(() => {
      logger.appendKeys({ taskId: 'abc' });
      logger.setCorrelationId(ID);
      logger.info('one');
      logger.resetKeys();
      logger.info('two');
    });
    expect(lines.map((line) => [line.message, line.taskId, line.correlation_id])).toEqual([['one', 'abc', ID], ['two', undefined, undefined]]);
  });
});

describe('forDispatch', () => {
  test('every line of the work carries the dispatch id; a failure is logged with it, then thrown on', async () => {
    const logger = new JsonLogger('outpost-dispatch-read');
    const failure = new Error('DynamoDB is unreachable');
    const lines = await printed(async () => {
      await forDispatch(logger, ID, async () => logger.info('working'));
      await expect(forDispatch(logger, ID, async () => { throw failure; })).rejects.toBe(failure);
    });
    expect(lines).toEqual([
      expect.objectContaining({ message: 'working', correlation_id: ID }),
      expect.objectContaining({ level: 'ERROR', message: 'the handler failed', correlation_id: ID, error: expect.objectContaining({ message: 'DynamoDB is unreachable' }) }),
    ]);
  });

  test('no dispatch id: the last invocation\'s is not carried over', async () => {
    const logger = new JsonLogger('outpost-dispatch-read');
    logger.setCorrelationId(ID);
    const [line] = await printed(() => forDispatch(logger, undefined, async () => logger.info('listing')));
    expect(line).not.toHaveProperty('correlation_id');
  });
});

describe('publishMetrics: embedded metric format', () => {
  test('one line per set of dimensions, in the Outpost namespace, no service dimension, the correlation id a property', async () => {
    const lines = await printed(() => publishMetrics('outpost-outbox', [
      { name: 'DispatchTransitions', unit: 'Count', value: 1, dimensions: { agent: 'claude', state: 'RUNNING' } },
      { name: 'WarmStarts', unit: 'Count', value: 1, dimensions: { agent: 'claude' } },
      { name: 'WaitSeconds', unit: 'Seconds', value: 0.75, dimensions: { agent: 'claude' } },
    ], ID));
    expect(lines).toHaveLength(2);
    const [transitions, start] = lines;
    expect(transitions._aws.CloudWatchMetrics).toEqual([{ Namespace: 'Outpost', Dimensions: [['agent', 'state']], Metrics: [{ Name: 'DispatchTransitions', Unit: 'Count' }] }]);
    expect(transitions).toMatchObject({ agent: 'claude', state: 'RUNNING', DispatchTransitions: 1, correlation_id: ID });
    expect(start._aws.CloudWatchMetrics[0]).toMatchObject({ Dimensions: [['agent']], Metrics: [{ Name: 'WarmStarts', Unit: 'Count' }, { Name: 'WaitSeconds', Unit: 'Seconds' }] });
    expect(start).toMatchObject({ agent: 'claude', WarmStarts: 1, WaitSeconds: 0.75 });
    expect(start.service).toBeUndefined();
  });

  test('nothing to publish: no line', async () => {
    expect(await printed(() => publishMetrics('outpost-outbox', []))).toEqual([]);
  });
});
