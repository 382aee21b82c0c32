import * as http from 'http';
import type { AddressInfo } from 'net';
import { respondToCloudFormation } from '../../../../runtime/adapters/custom-resource-response';
import { scalerEventOf } from '../../../../runtime/core/pool/scaler/scaler-event';
import { customResourceRequest, customResourceResponseProblems, documentedCustomResource, type RequestType } from '../../../support/custom-resource-events';
import { shapeDifferences } from '../../../support/documented-shape';

const { source, requests, response: documentedResponse } = documentedCustomResource();
const TYPES: RequestType[] = ['Create', 'Update', 'Delete'];

describe('CloudFormation custom resource requests: the ones the tests send are the documented ones', () => {
  test('the stored examples are the request reference\'s: PhysicalResourceId only after Create, OldResourceProperties only on Update', () => {
    expect(source).toBe('https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref.html');
    const common = ['LogicalResourceId', 'RequestId', 'RequestType', 'ResourceProperties', 'ResourceType', 'ResponseURL', 'StackId'];
    expect(Object.keys(requests.Create).sort()).toEqual(common);
    expect(Object.keys(requests.Update).sort()).toEqual([...common, 'OldResourceProperties', 'PhysicalResourceId'].sort());
    expect(Object.keys(requests.Delete).sort()).toEqual([...common, 'PhysicalResourceId'].sort());
  });

  test.each(TYPES)('%s: the builder keeps the documented shape, and the scaler takes it as CloudFormation\'s', (type) => {
    const request = customResourceRequest(type, { responseUrl: 'https://cloudformation-custom-resource-response.s3.amazonaws.com/r' });
    expect(shapeDifferences(request, requests[type], { openMaps: ['ResourceProperties', 'OldResourceProperties'] })).toEqual([]);
    expect(request).toMatchObject({ RequestType: type, ResourceType: 'Custom::OutpostPoolDrain', ResourceProperties: { ServiceToken: expect.stringMatching(/^arn:aws:lambda:/) } });
    expect(scalerEventOf(request)).toMatchObject({ kind: 'custom-resource', request: { RequestType: type } });
  });
});

describe('CloudFormation custom resource responses: what the drain PUTs is what CloudFormation takes', () => {
  let server: http.Server;
  const bodies: any[] = [];
  let responseUrl: string;
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => { body += chunk; });
      request.on('end', () => {
        bodies.push(JSON.parse(body));
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test('the documented response passes the check', () => {
    expect(customResourceResponseProblems(documentedResponse, requests.Delete)).toEqual([]);
  });

  test('a success and a failure, each with the request\'s ids, a reason when failed, and within 4096 bytes however long the reason', async () => {
    const request = customResourceRequest('Delete', { responseUrl });
    await respondToCloudFormation(scalerRequest(request), { status: 'SUCCESS', physicalResourceId: 'outpost-pool-drain' });
    await respondToCloudFormation(scalerRequest(request), { status: 'FAILED', physicalResourceId: 'outpost-pool-drain', reason: 'x'.repeat(10_000) });
    await respondToCloudFormation(scalerRequest(request), { status: 'FAILED', physicalResourceId: 'outpost-pool-drain', reason: '"é\n'.repeat(3_000) });
    expect(bodies.map((body) => customResourceResponseProblems(body, request))).toEqual([[], [], []]);
    expect(bodies[1]).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^x{3000,}$/) });
    expect(bodies[2].Reason).toMatch(/^("é\n){500,}/);
  });

  test('the check finds a response CloudFormation would refuse', () => {
    const request = requests.Delete;
    expect(customResourceResponseProblems({ ...documentedResponse, Status: 'FAILED', Reason: undefined }, request)).toEqual(['Reason: required when FAILED']);
    expect(customResourceResponseProblems({ ...documentedResponse, RequestId: 'other' }, request))
      .toEqual([`RequestId: must be the request's ${request.RequestId}, got other`]);
    expect(customResourceResponseProblems({ ...documentedResponse, Status: 'OK', PhysicalResourceId: 7 }, request))
      .toEqual(['PhysicalResourceId: documented as string, got number', 'Status: OK is neither SUCCESS nor FAILED']);
  });
});

/** The request as the scaler parses it before answering. */
function scalerRequest(request: Record<string, unknown>) {
  const event = scalerEventOf(request);
  if (event?.kind !== 'custom-resource') {
    throw new Error('the scaler did not take the request as CloudFormation\'s');
  }
  return event.request;
}
