import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { agentContainerDefinition, taskConditionsFromTemplate, type CloudFormationTemplate } from '../../../runtime/local/kit/task-conditions';

/**
 * Outpost Local reads a task's conditions from the template it was given (`cdk synth`'s JSON), not from a platform
 * it synthesizes itself: these templates are written out as CloudFormation's AWS::ECS::TaskDefinition documents
 * its properties (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-taskdefinition.html).
 */
function template(environment: Array<{ Name: string; Value: unknown }>, extra: Record<string, unknown> = {}): CloudFormationTemplate {
  return {
    Resources: {
      Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
      CodexTask: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          ContainerDefinitions: [{
            Name: 'agent',
            User: '0:0',
            ReadonlyRootFilesystem: true,
            Environment: [{ Name: 'OUTPOST_AGENT', Value: 'codex' }, ...environment],
            LinuxParameters: { Capabilities: { Drop: ['ALL'], Add: ['CHOWN', 'SETUID', 'SETGID'] } },
            MountPoints: [{ ContainerPath: '/workspace', ReadOnly: false, SourceVolume: 'workspace' }],
            Secrets: [{ Name: 'OPENAI_API_KEY', ValueFrom: { Ref: 'Secret' } }],
            ...extra,
          }],
          Volumes: [{ Name: 'workspace' }],
        },
      },
    },
  };
}

describe('taskConditionsFromTemplate', () => {
  test('reads the agent\'s task definition from the given template, and its image from the Dockerfiles', () => {
    const conditions = taskConditionsFromTemplate(template([{ Name: 'OUTPOST_WORKER_PORT', Value: 8080 }]), 'codex');
    expect(conditions).toMatchObject({ agent: 'codex', uid: 0, gid: 0, userName: 'root', readonlyRootFilesystem: true, workdir: '/workspace' });
    expect(conditions.capabilities).toEqual(['CHOWN', 'SETGID', 'SETUID']);
    expect(conditions.mounts).toEqual([{ volume: 'workspace', containerPath: '/workspace', readOnly: false, hostPath: undefined }]);
    expect(conditions.secretNames).toEqual(['OPENAI_API_KEY']);
    // The image's ENV under the task definition's; a number in the template is the string the container sees.
    expect(conditions.environment).toMatchObject({ OUTPOST_AGENT: 'codex', OUTPOST_WORKER_PORT: '8080', DO_NOT_TRACK: '1' });
  });

  test('a variable that is an intrinsic is refused by name, unless the caller resolves it', () => {
    const withRef = template([{ Name: 'OUTPOST_TABLE', Value: { Ref: 'Table' } }]);
    expect(() => taskConditionsFromTemplate(withRef, 'codex')).toThrow(/variable OUTPOST_TABLE is \{"Ref":"Table"\}, a CloudFormation intrinsic: pass taskConditionsFromTemplate a resolveValue/);
    const resolved = taskConditionsFromTemplate(withRef, 'codex', undefined, (value, name) => `${name}=${(value as { Ref: string }).Ref}`);
    expect(resolved.environment.OUTPOST_TABLE).toBe('OUTPOST_TABLE=Table');
  });

  test('a template without the agent\'s task definition, or with two, says how many it found', () => {
    expect(() => agentContainerDefinition(template([]), 'claude')).toThrow('expected one task definition for claude in the template (its container\'s OUTPOST_AGENT), found 0');
    const twice = template([]);
    const doubled: CloudFormationTemplate = { Resources: { ...twice.Resources, Again: twice.Resources!.CodexTask } };
    expect(() => agentContainerDefinition(doubled, 'codex')).toThrow(/found 2$/);
  });

  test('a mount of a volume the task definition lacks is refused', () => {
    const broken = template([], { MountPoints: [{ ContainerPath: '/cache', SourceVolume: 'cache' }] });
    expect(() => taskConditionsFromTemplate(broken, 'codex')).toThrow('mount point /cache names volume cache, which the task definition lacks');
  });

  test('the Dockerfiles come from the containers folder it is given', () => {
    const containers = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-kit-containers-'));
    try {
      fs.mkdirSync(path.join(containers, 'base'));
      fs.mkdirSync(path.join(containers, 'codex'));
      fs.writeFileSync(path.join(containers, 'base', 'Dockerfile'), 'FROM ubuntu\nRUN groupadd --gid 1500 builder && useradd --uid 1500 --gid builder --home-dir /srv/builder builder\nWORKDIR /srv\n');
      fs.writeFileSync(path.join(containers, 'codex', 'Dockerfile'), 'FROM base\nENV CODEX_HOME=/srv/codex\n');
      const conditions = taskConditionsFromTemplate(template([], { User: 'builder:builder' }), 'codex', containers);
      expect(conditions).toMatchObject({ uid: 1500, gid: 1500, userName: 'builder', home: '/srv/builder', workdir: '/srv' });
      expect(conditions.environment.CODEX_HOME).toBe('/srv/codex');
    } finally {
      fs.rmSync(containers, { recursive: true, force: true });
    }
  });
});
