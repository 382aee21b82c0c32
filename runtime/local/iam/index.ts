export { startIamGate, type IamGate, type IamGateOptions } from './iam-gate';
export type { Denial } from './authorize';
export type { Credentials, GatePrincipal, Session } from './gate-credentials';
export type { InvokeCallback, InvokeResult } from './lambda-invoke-answer';
export type { PolicyDocument, PolicyStatement } from './policy/policy-document';
// For Outpost Local's HTTP API, whose IAM-authorized routes check their callers' SigV4 the same way.
export { readRequest, type ArrivedRequest } from './received-request';
export { findSignature, UnsignedRequest, type FoundSignature } from './request-signature';
