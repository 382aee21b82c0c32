import { randomBytes } from 'crypto';
import type { PolicyDocument } from './policy/policy-document';

/** Whose calls a set of issued credentials make: a role, with the policies attached to it in the template. */
export interface GatePrincipal {
  /** The role's ARN, `arn:aws:iam::<account>:role/<path/><name>`. */
  readonly arn: string;
  /** The session name of the assumed-role ARN the gate reports (as Lambda names it: the function's name). @default the role's name */
  readonly sessionName?: string;
  /** The role's identity-based policies, resolved: inline AWS::IAM::Policy documents and attached AWS::IAM::ManagedPolicy documents. */
  readonly policies: readonly PolicyDocument[];
}

/** Temporary credentials, as STS gives a role session (and Lambda puts in a function's environment). */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/** A principal as the gate knows it once its credentials are used. */
export interface Session {
  readonly credentials: Credentials;
  readonly principal: GatePrincipal;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>`, as AWS names the caller in a denial. */
  readonly callerArn: string;
  /** The role's unique id and session, as GetCallerIdentity's UserId. */
  readonly userId: string;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The credentials the gate has issued, by access key id. */
export class GateCredentials {
  private readonly sessions = new Map<string, Session>();

  issue(principal: GatePrincipal): Credentials {
    const match = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(principal.arn);
    if (!match) {
      throw new Error(`GatePrincipal.arn must be a role ARN (arn:aws:iam::<account>:role/<name>), got "${principal.arn}"`);
    }
    const [, account, roleName] = match;
    const session = principal.sessionName ?? roleName;
    const credentials: Credentials = {
      // ASIA: the prefix of temporary (STS) access keys.
      accessKeyId: `ASIA${randomKey(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
    };
    this.sessions.set(credentials.accessKeyId, {
      credentials,
      principal,
      callerArn: `arn:aws:sts::${account}:assumed-role/${roleName}/${session}`,
      userId: `AROA${randomKey(17)}:${session}`,
    });
    return credentials;
  }

  find(accessKeyId: string): Session | undefined {
    return this.sessions.get(accessKeyId);
  }
}

function randomKey(length: number): string {
  return [...randomBytes(length)].map((byte) => KEY_ALPHABET[byte % KEY_ALPHABET.length]).join('');
}
