import { Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { loadConfig } from '../runtime/core/config';
import { Agent, AgentImage, GitCredentials } from '../src';
import { logicalIdOf, permissionsOfFunction, renderValue, synthPlatform } from './support/platform-stack';

const KEY_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:outpost/github-app-AbCdEf';
const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:outpost/git-token-XyZ123';
const LIFECYCLE = ['DispatchCreate', 'DispatchRead', 'DispatchCancel', 'TaskReady', 'TaskStopped', 'Outbox', 'Sweeper', 'FleetHealth', 'WorkerCredentials'];

/** The platform with one agent (a smaller template) and these credentials. */
function synth(gitCredentials?: GitCredentials) {
  return synthPlatform({ agents: [Agent.codex({ image: AgentImage.fromRegistry('example/codex:1') })], gitCredentials });
}

/** The synthesized OUTPOST_CONFIG of a function, as the handlers parse it. */
function configOf(template: ReturnType<typeof synth>['template'], fn: string) {
  const resource = template.findResources('AWS::Lambda::Function')[logicalIdOf(template, 'AWS::Lambda::Function', `Lifecycle${fn}`)];
  return loadConfig(renderValue(resource.Properties.Environment.Variables.OUTPOST_CONFIG));
}

/**
 * Every function's permissions that touch Secrets Manager or KMS, but the worker token's (its own encryption
 * context) and fleet health's DescribeSecret of the provider secrets (which reads no value), both tested in
 * dispatch-lifecycle.test.ts: what a git credential's secret adds.
 */
function secretPermissions(template: ReturnType<typeof synth>['template']): Record<string, string[]> {
  return Object.fromEntries(LIFECYCLE.map((fn) => [fn, permissionsOfFunction(template, `Lifecycle${fn}`)
    .filter((line) => /^(secretsmanager|kms):/.test(line) && !line.includes('kms:EncryptionContext:purpose=outpost-worker-token'))
    .filter((line) => !(fn === 'FleetHealth' && line.startsWith('secretsmanager:DescribeSecret on OutpostAgentsSecrets')))]));
}

describe('GitCredentials on the platform', () => {
  test('a GitHub App: dispatch-create, task-ready and worker-credentials may read exactly its secret, no other function anything', () => {
    const { template } = synth(GitCredentials.githubApp({ appId: 123456, privateKey: secretsmanager.Secret.fromSecretCompleteArn(new Stack(), 'Key', KEY_ARN) }));
    expect(secretPermissions(template)).toEqual({
      DispatchCreate: [`secretsmanager:GetSecretValue on ${KEY_ARN}`],
      DispatchRead: [],
      DispatchCancel: [],
      TaskReady: [`secretsmanager:GetSecretValue on ${KEY_ARN}`],
      TaskStopped: [],
      Outbox: [],
      Sweeper: [],
      FleetHealth: [],
      WorkerCredentials: [`secretsmanager:GetSecretValue on ${KEY_ARN}`],
    });
  });

  test('a secret encrypted with its own key: kms:Decrypt on that key, only through Secrets Manager', () => {
    const { template } = synth(GitCredentials.personalAccessToken({
      secret: secretsmanager.Secret.fromSecretAttributes(new Stack(), 'Token', {
        secretCompleteArn: TOKEN_ARN,
        encryptionKey: kms.Key.fromKeyArn(new Stack(), 'Key', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
      }),
    }));
    const expected = [
      `secretsmanager:GetSecretValue on ${TOKEN_ARN}`,
      'kms:Decrypt on arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab if StringEquals kms:ViaService=secretsmanager.eu-west-1.amazonaws.com',
    ];
    expect(secretPermissions(template)).toMatchObject({
      DispatchCreate: expected, TaskReady: expected, WorkerCredentials: expected, TaskStopped: [], Sweeper: [], DispatchCancel: [],
    });
  });

  test('a secret imported by name: its ARN with the six characters Secrets Manager appends', () => {
    const { template } = synth(GitCredentials.personalAccessToken({ secret: secretsmanager.Secret.fromSecretNameV2(new Stack(), 'Token', 'outpost/git-token') }));
    expect(secretPermissions(template).TaskReady).toEqual(['secretsmanager:GetSecretValue on arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:outpost/git-token-??????']);
  });

  test('the configuration tells the three handlers that mint how to, and parses as the runtime expects', () => {
    const { template } = synth(GitCredentials.githubApp({
      appId: 123456,
      installationId: 789,
      privateKey: secretsmanager.Secret.fromSecretCompleteArn(new Stack(), 'Key', KEY_ARN),
      apiUrl: 'https://ghe.example.com/api/v3/',
    }));
    const expected = { secret: KEY_ARN, hosts: ['ghe.example.com'], githubApp: { appId: 123456, installationId: 789, apiUrl: 'https://ghe.example.com/api/v3' } };
    expect(configOf(template, 'DispatchCreate').gitCredentials).toEqual(expected);
    expect(configOf(template, 'TaskReady').gitCredentials).toEqual(expected);
    expect(configOf(template, 'WorkerCredentials').gitCredentials).toEqual(expected);
  });

  test('a personal access token: its user name and hosts, lower-cased and without the default port', () => {
    const { template } = synth(GitCredentials.personalAccessToken({
      secret: secretsmanager.Secret.fromSecretCompleteArn(new Stack(), 'Token', TOKEN_ARN),
      username: 'outpost-bot',
      hosts: ['Git.Example.com:443', 'git.example.com:8443'],
    }));
    expect(configOf(template, 'DispatchCreate').gitCredentials).toEqual({ secret: TOKEN_ARN, hosts: ['git.example.com', 'git.example.com:8443'], username: 'outpost-bot' });
  });

  test.each([
    ['no gitCredentials', undefined],
    ['GitCredentials.none()', GitCredentials.none()],
  ])('%s: no credentials in the configuration, no secret readable', (_name, credentials) => {
    const { template } = synth(credentials);
    expect(configOf(template, 'DispatchCreate').gitCredentials).toBeUndefined();
    expect(Object.values(secretPermissions(template)).flat()).toEqual([]);
  });
});

describe('GitCredentials validation says what to change', () => {
  const key = () => secretsmanager.Secret.fromSecretCompleteArn(new Stack(), 'Key', KEY_ARN);

  test.each([
    [{ appId: 0 }, 'GitCredentials.githubApp: `appId` must be a positive whole number, got 0. Give the App ID from the app\'s settings page.'],
    [{ appId: 12.5 }, 'GitCredentials.githubApp: `appId` must be a positive whole number, got 12.5.'],
    [{ installationId: -3 }, 'GitCredentials.githubApp: `installationId` must be a positive whole number, got -3. Give the number at the end of the installation\'s settings URL, or leave it out to look it up per repository.'],
    [{ apiUrl: 'http://ghe.example.com/api/v3' }, 'GitCredentials.githubApp: `apiUrl` must be an https URL without credentials, query or fragment, got "http://ghe.example.com/api/v3". Give https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server.'],
    [{ apiUrl: 'api.github.com' }, '`apiUrl` must be an https URL'],
    [{ hosts: [] }, 'GitCredentials.githubApp: `hosts` is empty. Name at least one host, e.g. ["github.com"], or use GitCredentials.none().'],
    [{ hosts: ['https://github.com'] }, 'GitCredentials.githubApp: `hosts` holds "https://github.com", which is not a host. Give host names as they appear in repository URLs, e.g. "github.com" or "git.example.com:8443", without a scheme or path.'],
  ])('githubApp %j', (options, message) => {
    expect(() => GitCredentials.githubApp({ appId: 1, privateKey: key(), ...options })).toThrow(message);
  });

  test.each([
    [{ username: 'outpost bot' }, 'GitCredentials.personalAccessToken: `username` must be a user name without spaces or control characters, got "outpost bot". Give the account\'s login, or leave it out.'],
    [{ hosts: ['github.com', 'github.com/org'] }, 'GitCredentials.personalAccessToken: `hosts` holds "github.com/org", which is not a host.'],
  ])('personalAccessToken %j', (options, message) => {
    expect(() => GitCredentials.personalAccessToken({ secret: key(), ...options })).toThrow(message);
  });
});
