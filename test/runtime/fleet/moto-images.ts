import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { SignedPost } from '../../../runtime/adapters/signed-post';

/**
 * ECR calls to set up moto's registry (the project has no @aws-sdk/client-ecr): CreateRepository and PutImage
 * over ECR's JSON protocol, as https://docs.aws.amazon.com/AmazonECR/latest/APIReference/ documents them.
 */
export async function ecrCall(action: 'CreateRepository' | 'PutImage', input: object): Promise<Record<string, any>> {
  const ecr = new SignedPost('ecr', { credentials: async () => ({ accessKeyId: 'testing', secretAccessKey: 'testing' }) }, 'moto-ecr');
  const response = await ecr.post('', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonEC2ContainerRegistry_V20150921.${action}` }, JSON.stringify(input));
  const answer = await response.json() as Record<string, any>;
  if (!response.ok) {
    throw new Error(`ECR ${action}: ${JSON.stringify(answer)}`);
  }
  return answer;
}

/** A repository holding one image under `tag`, with the schema 2 manifest the Docker registry documents; its URI. */
export async function ecrRepositoryWithImage(name: string, tag: string): Promise<string> {
  const { repository } = await ecrCall('CreateRepository', { repositoryName: name });
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: `sha256:${'b5'.repeat(32)}` },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 32654, digest: `sha256:${'e6'.repeat(32)}` }],
  };
  await ecrCall('PutImage', { repositoryName: name, imageTag: tag, imageManifest: JSON.stringify(manifest) });
  return repository.repositoryUri as string;
}

/**
 * An awsvpc Fargate task definition of `family` whose `agent` container runs `image`, shaped like
 * AgentTaskDefinition's (task and execution roles); its ARN.
 */
export async function agentTaskDefinition(family: string, image: string): Promise<string> {
  const { taskDefinition } = await new ECSClient({}).send(new RegisterTaskDefinitionCommand({
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '1024',
    memory: '4096',
    taskRoleArn: `arn:aws:iam::123456789012:role/${family}-task`,
    executionRoleArn: `arn:aws:iam::123456789012:role/${family}-execution`,
    containerDefinitions: [{ name: 'agent', image, essential: true, cpu: 1024, memory: 4096 }],
  }));
  return taskDefinition!.taskDefinitionArn!;
}
