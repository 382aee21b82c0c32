import { callerOf, callerRulesOf } from '../../../runtime/core/api/caller';
import { errorResponse } from '../../../runtime/core/dispatch/api-error';
import { jsonResponse } from '../../../runtime/core/http';
import { apiRequest, callApi, documentedApiPayload, iamAuthorizer, jwtAuthorizer, responseProblems } from '../../support/api-event';
import { shapeDifferences, type ShapeRules } from '../../support/documented-shape';
import { ALICE, CALLER_RULES } from '../dispatch/support/dispatches';

const { source, request: documented, response: documentedResponse, iamAuthorizer: documentedIam } = documentedApiPayload();

/** What API Gateway leaves out of a request that has none (or, for this API, never sends), and the maps whose keys are the request's. */
const REQUEST_RULES: ShapeRules = {
  optional: ['cookies', 'stageVariables', 'requestContext.authentication', 'pathParameters', 'queryStringParameters', 'body'],
  openMaps: ['headers', 'queryStringParameters', 'pathParameters', 'requestContext.authorizer.jwt.claims'],
  nullable: ['requestContext.authorizer.iam.cognitoIdentity', 'requestContext.authorizer.iam.principalOrgId', 'requestContext.authorizer.jwt.scopes'],
};

/** The documented request with the documented IAM authorizer context in place of its JWT one. */
const documentedIamRequest = { ...documented, requestContext: { ...documented.requestContext, authorizer: documentedIam } };

describe('API Gateway payload format 2.0: the events the tests send are the documented ones', () => {
  test('the stored examples are the developer guide\'s: format 2.0, requestContext.http, a JWT context; IAM\'s from AWS\'s own example', () => {
    expect(source).toBe('https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html');
    expect(Object.keys(documented).sort()).toEqual([
      'body', 'cookies', 'headers', 'isBase64Encoded', 'pathParameters', 'queryStringParameters', 'rawPath', 'rawQueryString',
      'requestContext', 'routeKey', 'stageVariables', 'version',
    ]);
    expect(documented.version).toBe('2.0');
    expect(Object.keys(documented.requestContext.http).sort()).toEqual(['method', 'path', 'protocol', 'sourceIp', 'userAgent']);
    expect(Object.keys(documented.requestContext.authorizer)).toEqual(['jwt']);
    expect(Object.keys(documentedIam.iam).sort()).toEqual(['accessKey', 'accountId', 'callerId', 'cognitoIdentity', 'principalOrgId', 'userArn', 'userId']);
    expect(Object.keys(documentedResponse).sort()).toEqual(['body', 'cookies', 'headers', 'isBase64Encoded', 'statusCode']);
  });

  test('an IAM-authorized request keeps the documented shape, with the fields the handlers read set from the request', () => {
    const event: any = apiRequest('GET /dispatch/{id}', ALICE, { id: '01JD3V4N6Q8W2X5Y7Z9A1B3C4D', query: { limit: '5' } });
    expect(shapeDifferences(event, documentedIamRequest, REQUEST_RULES)).toEqual([]);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /dispatch/{id}',
      rawPath: '/dispatch/01JD3V4N6Q8W2X5Y7Z9A1B3C4D',
      rawQueryString: 'limit=5',
      pathParameters: { id: '01JD3V4N6Q8W2X5Y7Z9A1B3C4D' },
      queryStringParameters: { limit: '5' },
      isBase64Encoded: false,
      requestContext: {
        routeKey: 'GET /dispatch/{id}',
        http: { method: 'GET', path: '/dispatch/01JD3V4N6Q8W2X5Y7Z9A1B3C4D' },
        authorizer: { iam: { userArn: ALICE, accountId: '123456789012', cognitoIdentity: null } },
      },
    });
    expect(event).not.toHaveProperty('body');
    expect(callerOf(event, callerRulesOf(CALLER_RULES))).toEqual({ id: ALICE, admin: false });
  });

  test('a JWT-authorized request and a body keep the documented shape; the caller is read from the claims', () => {
    const event: any = apiRequest('POST /dispatch', undefined, { authorizer: jwtAuthorizer({ iss: 'https://issuer.example.com', sub: 'bob' }), body: { agent: 'claude' } });
    expect(shapeDifferences(event, documented, REQUEST_RULES)).toEqual([]);
    expect(event).toMatchObject({ body: '{"agent":"claude"}', rawQueryString: '', requestContext: { http: { method: 'POST', path: '/dispatch' } } });
    expect(event).not.toHaveProperty('pathParameters');
    expect(callerOf(event, callerRulesOf(CALLER_RULES))).toEqual({ id: 'jwt:https://issuer.example.com#bob', admin: false });
  });

  test('the comparison finds drift: the bare authorizer context the builder once made, and a body that is not a string', () => {
    const drifted: any = apiRequest('POST /admin/dispatch', ALICE, { body: 'x' });
    drifted.requestContext.authorizer = { iam: { userArn: ALICE } };
    drifted.body = { agent: 'claude' };
    expect(shapeDifferences(drifted, documentedIamRequest, REQUEST_RULES)).toEqual([
      'requestContext.authorizer.iam.accessKey: documented as string, got absent',
      'requestContext.authorizer.iam.accountId: documented as string, got absent',
      'requestContext.authorizer.iam.callerId: documented as string, got absent',
      'requestContext.authorizer.iam.cognitoIdentity: documented as object, got absent',
      'requestContext.authorizer.iam.principalOrgId: documented as string, got absent',
      'requestContext.authorizer.iam.userId: documented as string, got absent',
      'body: documented as string, got object',
    ]);
    expect(shapeDifferences({ ...drifted, multiValueHeaders: {} }, documentedIamRequest, REQUEST_RULES)).toContain('multiValueHeaders: not in the documented example');
  });

  test('an IAM principal\'s account is the one in its ARN', () => {
    expect(iamAuthorizer('arn:aws:iam::210987654321:user/ops')).toMatchObject({ iam: { accountId: '210987654321', userArn: 'arn:aws:iam::210987654321:user/ops' } });
  });
});

describe('API Gateway payload format 2.0: the handlers\' answers are ones API Gateway takes', () => {
  test('the documented response example passes the check', () => {
    expect(responseProblems(documentedResponse)).toEqual([]);
  });

  test('the handlers\' JSON answers and errors are format 2.0 responses', () => {
    expect(responseProblems(jsonResponse(202, { id: 'x' }))).toEqual([]);
    expect(responseProblems(errorResponse({ status: 400, code: 'InvalidField', message: 'bad', field: 'agent' }))).toEqual([]);
  });

  test('answers API Gateway would not pass on as meant are refused, each naming its field', async () => {
    expect(responseProblems({ statusCode: '200', body: '{}' })).toEqual(['statusCode: documented as number, got string']);
    expect(responseProblems({ statusCode: 200, body: { id: 'x' } })).toEqual(['body: documented as string, got object']);
    expect(responseProblems({ statusCode: 200, headers: { 'retry-after': 5 }, body: '{}' })).toEqual(['headers.retry-after: documented as string, got number']);
    expect(responseProblems({ statusCode: 200, multiValueHeaders: {}, body: '{}' })).toEqual(['multiValueHeaders: not in the documented example']);
    expect(responseProblems({ statusCode: 2000, body: '{}' })).toEqual(['statusCode: 2000 is not an HTTP status']);
    await expect(callApi(async () => ({ statusCode: 200, body: { id: 'x' } }), apiRequest('GET /dispatch', ALICE)))
      .rejects.toThrow('not a payload format 2.0 response (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html): body: documented as string, got object');
  });
});
