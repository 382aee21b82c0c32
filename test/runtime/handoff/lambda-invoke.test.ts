import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LambdaInvokeError, LambdaInvoker } from '../../../runtime/adapters/lambda-invoke';
import { LambdaInvokeStandIn } from '../../support/lambda-invoke-stand-in';

const CREDENTIALS = async () => ({ accessKeyId: 'AKIATESTINVOKER', secretAccessKey: 'test-secret' });

/** The worker's hand-signed Invoke against the Invoke API stand-in, with handlers that answer, throw, or are not there. */
describe('LambdaInvoker', () => {
  let directory: string;
  let answering: LambdaInvokeStandIn;
  let throwing: LambdaInvokeStandIn;

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-invoke-'));
    const echo = path.join(directory, 'echo.js');
    fs.writeFileSync(echo, 'exports.handler = async (event) => ({ statusCode: 200, echoed: event });\n');
    const failing = path.join(directory, 'failing.js');
    fs.writeFileSync(failing, 'exports.handler = async () => { throw new Error("boom"); };\n');
    answering = await LambdaInvokeStandIn.start('echo', echo, { PATH: process.env.PATH ?? '' });
    throwing = await LambdaInvokeStandIn.start('failing', failing, { PATH: process.env.PATH ?? '' });
  });
  afterAll(async () => {
    await Promise.all([answering.stop(), throwing.stop()]);
    fs.rmSync(directory, { recursive: true, force: true });
  });

  const invoker = (standIn: LambdaInvokeStandIn) => new LambdaInvoker({ region: 'eu-west-1', endpoint: standIn.url, credentials: CREDENTIALS });

  test('sends the event, signed for lambda in its Region, and answers the function\'s answer', async () => {
    expect(await invoker(answering).invoke('echo', { dispatchId: 'x' })).toEqual({ statusCode: 200, echoed: { dispatchId: 'x' } });
    expect(answering.invocations).toEqual([{ functionName: 'echo', event: { dispatchId: 'x' }, credentialScope: expect.stringMatching(/^AKIATESTINVOKER\/\d{8}\/eu-west-1\/lambda\/aws4_request$/) }]);
  });

  test('a function that threw: its error, as Lambda reports it (X-Amz-Function-Error)', async () => {
    await expect(invoker(throwing).invoke('failing', {})).rejects.toThrow(new LambdaInvokeError('FunctionError(Unhandled)', 'boom'));
  });

  test('a function that is not there: Lambda\'s error type and message', async () => {
    await expect(invoker(answering).invoke('missing', {})).rejects.toThrow('Lambda ResourceNotFoundException: Function not found: missing');
  });

  test('no Region: says how to give one', () => {
    const region = process.env.AWS_REGION;
    delete process.env.AWS_REGION;
    try {
      expect(() => new LambdaInvoker({ credentials: CREDENTIALS })).toThrow('LambdaInvoker needs a Region: set AWS_REGION or pass `region`');
    } finally {
      if (region !== undefined) {
        process.env.AWS_REGION = region;
      }
    }
  });
});
