import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { logicalIdOf, renderValue, synthPlatform } from './support/platform-stack';
import { loadConfig } from '../runtime/core/config';
import { capacityPlan } from '../runtime/core/pool/capacity-plan';
import { workerLauncherConfig } from '../runtime/lambda/worker-launcher-config';
import { Agent, AgentImage, AgentKind, FargateArchitecture, OutpostPlatform } from '../src';

type Resource = { Type: string; Properties: any; DependsOn?: string[] };

const registryImage = (agent: string) => AgentImage.fromRegistry(`example/${agent}:1`);

/** The task definition of one agent. */
function taskDefinitionOf(template: Template, agent: AgentKind): Resource {
  const id = logicalIdOf(template, 'AWS::ECS::TaskDefinition', `OutpostAgents${agent}TaskDefinition`);
  return template.findResources('AWS::ECS::TaskDefinition')[id] as Resource;
}

/** The configuration the lifecycle handlers read (OUTPOST_CONFIG), parsed as they parse it. */
function lifecycleConfig(template: Template) {
  const resource = template.findResources('AWS::Lambda::Function')[logicalIdOf(template, 'AWS::Lambda::Function', 'LifecycleDispatchCreate')];
  return loadConfig(renderValue(resource.Properties.Environment.Variables.OUTPOST_CONFIG));
}

describe('cpuArchitecture: ARM64 by default, X86_64 where chosen', () => {
  const { template } = synthPlatform({
    agents: [Agent.claude({ image: registryImage('claude') }), Agent.codex({ image: registryImage('codex'), cpuArchitecture: FargateArchitecture.X86_64 })],
  });

  test('each agent\'s task definition runs on its architecture', () => {
    expect(taskDefinitionOf(template, AgentKind.CLAUDE).Properties.RuntimePlatform).toEqual({ CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' });
    expect(taskDefinitionOf(template, AgentKind.CODEX).Properties.RuntimePlatform).toEqual({ CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' });
  });

  test('the handlers are told each agent\'s architecture, and the launcher asks Fargate Spot only for the X86_64 one', () => {
    const config = lifecycleConfig(template);
    expect(config.spotEnabled).toBe(true);
    expect(config.agents.claude.cpuArchitecture).toBe('arm64');
    expect(config.agents.codex.cpuArchitecture).toBe('x86_64');
    const { architectures } = workerLauncherConfig(config);
    expect(capacityPlan(config.spotEnabled, architectures!.claude)).toEqual(['FARGATE']);
    expect(capacityPlan(config.spotEnabled, architectures!.codex)).toEqual(['FARGATE_SPOT', 'FARGATE']);
  });
});

describe('the cloud image build, one per architecture', () => {
  const { template } = synthPlatform({ agents: [Agent.claude(), Agent.codex({ cpuArchitecture: FargateArchitecture.X86_64 })] });
  const projects = Object.values(template.findResources('AWS::CodeBuild::Project')) as Resource[];
  const agentsOf = (project: Resource) => project.Properties.Environment.EnvironmentVariables.find((variable: any) => variable.Name === 'AGENTS').Value;

  test('arm64 agents build on an ARM machine, X86_64 agents on an x86 one (Docker builds natively)', () => {
    expect(projects.map((project) => [project.Properties.Environment.Type, agentsOf(project)]).sort())
      .toEqual([['ARM_CONTAINER', 'claude'], ['LINUX_CONTAINER', 'codex']]);
  });

  test('each task definition waits for the build of its own image', () => {
    const waits = Object.keys(template.findResources('AWS::CloudFormation::WaitCondition'));
    expect(waits).toHaveLength(2);
    const claudeWait = waits.find((id) => id.startsWith('OutpostAgentsImagesBuild'))!;
    const codexWait = waits.find((id) => id.startsWith('OutpostAgentsImagesX8664Build'))!;
    expect(taskDefinitionOf(template, AgentKind.CLAUDE).DependsOn).toContain(claudeWait);
    expect(taskDefinitionOf(template, AgentKind.CODEX).DependsOn).toContain(codexWait);
    expect(taskDefinitionOf(template, AgentKind.CODEX).DependsOn).not.toContain(claudeWait);
  });
});

test('AgentImage.fromAsset builds for the agent\'s architecture', () => {
  const app = new App();
  const stack = new Stack(app, 'Test');
  new OutpostPlatform(stack, 'Outpost', { agents: [Agent.aider({ image: AgentImage.fromAsset(AgentKind.AIDER), cpuArchitecture: FargateArchitecture.X86_64 })] });
  const assembly = app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Test.assets.json'), 'utf8'));
  expect(Object.values(manifest.dockerImages).map((image: any) => image.source.platform)).toEqual(['linux/amd64']);
});

describe('Fargate Spot runs no ARM64 tasks: a Spot share needs X86_64', () => {
  test('a spotShare on ARM64 (the default) is refused at synth, naming both ways out', () => {
    expect(() => Agent.codex({ warmPool: { spotShare: 0.5 } })).toThrow(
      'Agent.codex: `warmPool.spotShare` is 0.5, but Fargate Spot does not run ARM64 tasks and the agent\'s `cpuArchitecture` is ARM64 (the default). '
      + 'Set `warmPool.spotShare: 0` to keep Graviton\'s lower on-demand price, or `cpuArchitecture: FargateArchitecture.X86_64` to run that share of the pool on Spot');
    expect(() => Agent.codex({ cpuArchitecture: FargateArchitecture.ARM64, warmPool: { spotShare: 1 } })).toThrow('Fargate Spot does not run ARM64 tasks');
  });

  test('with X86_64 the share is taken, and ARM64 without one is fine', () => {
    const x86 = Agent.codex({ cpuArchitecture: FargateArchitecture.X86_64, warmPool: { spotShare: 0.5 } });
    expect(x86.cpuArchitecture).toBe(FargateArchitecture.X86_64);
    expect(Agent.codex({ warmPool: { spotShare: 0 } }).cpuArchitecture).toBe(FargateArchitecture.ARM64);
  });
});
