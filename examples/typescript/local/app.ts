/**
 * The platform that `outpost local` runs by default (the README's main job): the quickstart platform, with git
 * credentials for the local git server (git.outpost.test), whose token Outpost Local puts in the secret.
 *
 *   npx cdk synth --output ../../../cdk.out/local      # what `npx projen local` does first
 */
import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { GitCredentials, OutpostPlatform } from 'outpost-cdk';

const app = new App();
const stack = new Stack(app, 'OutpostLocal', {
  description: 'Outpost: the quickstart platform, for Outpost Local',
});

const gitToken = new secretsmanager.Secret(stack, 'LocalGitToken', {
  description: 'The token of the local git server (Outpost Local fills it in)',
});

new OutpostPlatform(stack, 'Outpost', {
  gitCredentials: GitCredentials.personalAccessToken({ secret: gitToken, hosts: ['git.outpost.test'] }),
});

app.synth();
