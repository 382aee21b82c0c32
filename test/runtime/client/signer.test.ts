import { RequestSigner } from '../../../runtime/client/signer';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

describe('RequestSigner', () => {
  test('by default: execute-api, a JSON body\'s content type signed', async () => {
    const headers = await new RequestSigner('eu-west-1', CREDENTIALS).sign('POST', new URL('https://abc.execute-api.eu-west-1.amazonaws.com/dispatch'), '{}');
    expect(headers['content-type']).toBe('application/json');
    expect(headers.authorization).toMatch(/Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,/);
    expect(headers.host).toBeUndefined();
  });

  test('for another service, with the headers given, each of them signed (CloudWatch\'s JSON protocol, for simulate --cold-starts)', async () => {
    const headers = await new RequestSigner('us-east-1', CREDENTIALS, 'monitoring').sign('POST', new URL('https://monitoring.us-east-1.amazonaws.com/'), '{}', {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'GraniteServiceVersion20100801.GetMetricStatistics',
    });
    expect(headers).toMatchObject({ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricStatistics' });
    expect(headers.authorization).toMatch(/\/us-east-1\/monitoring\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target,/);
  });
});
