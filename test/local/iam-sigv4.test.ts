import { canonicalQuery, canonicalUri, requestSignature, signingKey } from '../../runtime/local/iam/sigv4';

/**
 * The signing example of the AWS General Reference ("Examples of the complete Signature Version 4 signing
 * process", IAM ListUsers, 2015-08-30): its canonical request, signing key and signature.
 */
describe('SigV4 as the receiving side computes it', () => {
  const scope = { accessKeyId: 'AKIDEXAMPLE', date: '20150830', region: 'us-east-1', service: 'iam' };
  const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

  test('the documented example\'s signing key and signature', () => {
    expect(signingKey(secret, scope).toString('hex')).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
    const canonical = [
      'GET', '/', 'Action=ListUsers&Version=2010-05-08',
      'content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n',
      'content-type;host;x-amz-date',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ].join('\n');
    expect(requestSignature(secret, scope, '20150830T123600Z', canonical)).toBe('5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
  });

  test('paths: S3 signs them as sent, other services encoded once more; queries sorted and strictly encoded', () => {
    expect(canonicalUri('/2015-03-31/functions/arn%3Aaws%3Alambda/invocations', 'lambda')).toBe('/2015-03-31/functions/arn%253Aaws%253Alambda/invocations');
    expect(canonicalUri('/bucket/a%20b', 's3')).toBe('/bucket/a%20b');
    expect(canonicalQuery([['prefix', 'a b*'], ['list-type', '2'], ['X-Amz-Signature', 'x']], 'X-Amz-Signature')).toBe('list-type=2&prefix=a%20b%2A');
  });
});
