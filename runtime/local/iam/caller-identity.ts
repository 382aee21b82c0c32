import { randomUUID } from 'crypto';
import type { Answer } from './error-answers';
import { xml } from './error-answers';
import type { Session } from './gate-credentials';

/** STS GetCallerIdentity's answer (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html) for a role session. */
export function callerIdentityAnswer(session: Session): Answer {
  const account = session.principal.arn.split(':')[4];
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
      + `<Arn>${xml(session.callerArn)}</Arn><UserId>${xml(session.userId)}</UserId><Account>${account}</Account>`
      + `</GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  };
}
