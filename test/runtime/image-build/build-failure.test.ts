import { execFile } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { promisify } from 'util';
import { buildIdOf, buildStateChangeOf, failureSignalOf } from '../../../runtime/core/image-build/build-failure';
import { buildStateChange, documentedBuildStateChange } from '../../support/codebuild-events';

const execFileAsync = promisify(execFile);

/** Build events from AWS's documented example (CodeBuild User Guide, "Build notifications input format reference"). */
const DOCUMENTED = documentedBuildStateChange();
const LOG_LINK = DOCUMENTED.example.detail['additional-information'].logs['deep-link'];

describe('the FAILURE signal of a failed image build', () => {
  test(`names the failed phase, CodeBuild's words about it, and the log's link (event: ${DOCUMENTED.source})`, () => {
    const event = buildStateChange({
      status: 'FAILED',
      failedPhase: { type: 'DOWNLOAD_SOURCE', context: ['CLIENT_ERROR: AccessDenied: Access Denied status code: 403'] },
    });
    expect(failureSignalOf(buildStateChangeOf(event), 'abc123')).toEqual({
      Status: 'FAILURE',
      Reason: 'The image build my-sample-project:8745a7a9-c340-456a-9166-edf953571bEX ended FAILED in DOWNLOAD_SOURCE FAILED: '
        + `CLIENT_ERROR: AccessDenied: Access Denied status code: 403 (log: ${LOG_LINK})`,
      UniqueId: 'my-sample-project:8745a7a9-c340-456a-9166-edf953571bEX',
      Data: 'abc123',
    });
  });

  test('uses the id the build script signals with (CODEBUILD_BUILD_ID), so that only one of the two signals counts', () => {
    expect(buildIdOf(DOCUMENTED.example.detail['build-id'])).toBe('my-sample-project:8745a7a9-c340-456a-9166-edf953571bEX');
  });

  test('a build stopped in provisioning, which wrote no log, says so', () => {
    const event = buildStateChange({ status: 'STOPPED', failedPhase: { type: 'PROVISIONING', context: [] } });
    delete event.detail['additional-information'].logs;
    expect(failureSignalOf(buildStateChangeOf(event), 't').Reason)
      .toBe('The image build my-sample-project:8745a7a9-c340-456a-9166-edf953571bEX ended STOPPED in PROVISIONING STOPPED (no log: it ended before CodeBuild opened one)');
  });

  test('a reason longer than CloudFormation shows is cut', () => {
    const event = buildStateChange({ status: 'FAILED', failedPhase: { type: 'BUILD', context: ['x'.repeat(5000)] } });
    expect(failureSignalOf(buildStateChangeOf(event), 't').Reason).toHaveLength(2000);
  });

  test('an event that is not a build state change is refused, naming the missing field', () => {
    expect(() => buildStateChangeOf({ detail: { 'build-status': 'FAILED', 'project-name': 'p' } })).toThrow('detail.build-id is missing');
  });
});

/**
 * The bundled handler (assets/handlers/image-build-failed) against a stand-in wait condition handle: an HTTP
 * server that takes the PUT of a signal, as the handle's presigned S3 URL does (CloudFormation User Guide,
 * "Create wait conditions in a CloudFormation template": `curl -T signal.json "<handle URL>"`, no content type).
 */
describe('the image-build-failed handler', () => {
  const BUNDLE = path.join(__dirname, '..', '..', '..', 'assets', 'handlers', 'image-build-failed', 'index.js');
  let server: http.Server;
  let received: Array<{ method?: string; url?: string; contentType?: string; body: string }>;
  let handleUrl: string;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => { body += chunk; });
      request.on('end', () => {
        received.push({ method: request.method, url: request.url, contentType: request.headers['content-type'], body });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    handleUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/handle?X-Amz-Signature=abc`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    received = [];
    process.env.WAIT_HANDLE_URL = handleUrl;
    process.env.IMAGE_TAG = 'abc123';
  });
  afterEach(() => {
    delete process.env.WAIT_HANDLE_URL;
    delete process.env.IMAGE_TAG;
  });

  /** The bundled asset that ships in the package, in a fresh Node.js process as Lambda would load it. */
  const handler = () => async (event: unknown): Promise<void> => {
    if (!fs.existsSync(BUNDLE)) {
      throw new Error(`${BUNDLE} is missing: run \`npx projen bundle:runtime\` first`);
    }
    const script = `require(${JSON.stringify(BUNDLE)}).handler(JSON.parse(process.env.EVENT))`;
    await execFileAsync(process.execPath, ['-e', script], { env: { ...process.env, EVENT: JSON.stringify(event) } });
  };

  test('PUTs the FAILURE signal to the deployment\'s handle with no content type', async () => {
    await handler()(buildStateChange({ status: 'TIMED_OUT', failedPhase: { type: 'BUILD', context: ['BUILD_TIMED_OUT: Build has timed out.'] } }));
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'PUT', url: '/handle?X-Amz-Signature=abc' });
    expect(received[0].contentType ?? '').toBe('');
    expect(JSON.parse(received[0].body)).toEqual({
      Status: 'FAILURE',
      Reason: expect.stringMatching(/ended TIMED_OUT in BUILD TIMED_OUT: BUILD_TIMED_OUT: Build has timed out\. \(log: https:\/\/console\.aws\.amazon\.com\/cloudwatch\//),
      UniqueId: 'my-sample-project:8745a7a9-c340-456a-9166-edf953571bEX',
      Data: 'abc123',
    });
  });

  test('leaves alone a build that was started for another deployment\'s wait condition', async () => {
    const event = buildStateChange({ status: 'FAILED', failedPhase: { type: 'BUILD', context: [] } });
    event.detail['additional-information'].environment['environment-variables'] = [
      { name: 'WAIT_HANDLE_URL', value: 'https://cloudformation-waitcondition-us-west-2.s3.amazonaws.com/old-handle', type: 'PLAINTEXT' },
    ];
    await handler()(event);
    expect(received).toEqual([]);
  });

  test('signals a build started with this handle', async () => {
    const event = buildStateChange({ status: 'FAILED', failedPhase: { type: 'BUILD', context: [] }, environment: [{ name: 'WAIT_HANDLE_URL', value: handleUrl, type: 'PLAINTEXT' }] });
    await handler()(event);
    expect(received).toHaveLength(1);
  });

  test('fails, so that EventBridge retries, when the handle does not take the signal', async () => {
    process.env.WAIT_HANDLE_URL = handleUrl.replace(/:\d+\//, ':1/');
    await expect(handler()(buildStateChange({ status: 'FAILED', failedPhase: { type: 'BUILD', context: [] } }))).rejects.toThrow();
  });
});
