/**
 * The smallest Outpost deployment: one stack holding the whole platform with its defaults
 * (a new two-AZ VPC, the ECS cluster, storage and the IAM-authorized control plane API).
 *
 *   npx cdk synth      # or: npx cdk deploy
 */
import { App, Stack } from 'aws-cdk-lib';
import { OutpostPlatform } from 'outpost-cdk';

const app = new App();

// No `env`: the stack is environment-agnostic, so it synthesizes without AWS credentials and deploys to
// whichever account and Region the CLI is pointed at.
const stack = new Stack(app, 'OutpostQuickstart', {
  description: 'Outpost: isolated, single-use Fargate tasks for AI coding agents (quickstart)',
});

new OutpostPlatform(stack, 'Outpost');

app.synth();
