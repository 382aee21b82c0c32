export { startIamGate, type IamGate, type IamGateOptions } from './iam-gate';
export type { Denial } from './authorize';
export type { Credentials, GatePrincipal } from './gate-credentials';
export type { InvokeCallback, InvokeResult } from './lambda-invoke-answer';
export type { PolicyDocument, PolicyStatement } from './policy/policy-document';
