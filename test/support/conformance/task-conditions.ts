import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AgentName } from '../../../runtime/contracts/agent-names';
import { containersDirectory } from '../../../runtime/local/kit/package-root';
import { taskConditionsFromTemplate, type CloudFormationTemplate, type TaskConditions } from '../../../runtime/local/kit/task-conditions';
import { Agent, type OutpostPlatformProps } from '../../../src';
import { synthPlatform } from '../platform-stack';

const REPOSITORY_ROOT = path.join(__dirname, '..', '..', '..');

/**
 * The platforms whose task definitions a conformance run can take its conditions from: the default one, and one
 * whose Claude Code calls Claude on Amazon Bedrock with the task role (`Agent.claude({ useBedrock: true })`: no API-key
 * secret, CLAUDE_CODE_USE_BEDROCK and ANTHROPIC_MODEL in its environment).
 */
export const PLATFORM_VARIANTS = {
  'default': (): OutpostPlatformProps | undefined => undefined,
  'claude-on-bedrock': (): OutpostPlatformProps => ({ agents: [Agent.claude({ useBedrock: true })] }),
} as const;
export type PlatformVariant = keyof typeof PLATFORM_VARIANTS;

/**
 * The conditions of the agent's task in `platform`, synthesized here: what Outpost Local reads from the template it
 * is given (runtime/local/kit/task-conditions.ts), from the same task definition and Dockerfiles.
 */
export function taskConditions(agent: AgentName, platform: PlatformVariant = 'default'): TaskConditions {
  return taskConditionsFromTemplate(taskDefinitionsTemplate(platform), agent, containersDirectory());
}

/**
 * The platform's task definitions, as a template of them alone. Synthesizing takes seconds, and every jest worker
 * would pay it, so they are kept on disk under the variant's name and a hash of everything that decides them: the
 * constructs (src/), the package (its version goes into the template), the locked dependencies (aws-cdk-lib) and
 * the variant's props.
 */
function taskDefinitionsTemplate(platform: PlatformVariant): CloudFormationTemplate {
  const file = path.join(os.tmpdir(), 'outpost-conformance', `task-definitions-template-${platform}-${sourceHash(platform)}.json`);
  if (fs.existsSync(file)) {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  }
  const resources = synthPlatform(PLATFORM_VARIANTS[platform]()).template.findResources('AWS::ECS::TaskDefinition');
  const template: CloudFormationTemplate = { Resources: resources as CloudFormationTemplate['Resources'] };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}`;
  fs.writeFileSync(partial, JSON.stringify(template));
  fs.renameSync(partial, file);
  return template;
}

function sourceHash(platform: PlatformVariant): string {
  const hash = createHash('sha256').update(PLATFORM_VARIANTS[platform].toString()).update('\0');
  const add = (file: string) => hash.update(path.relative(REPOSITORY_ROOT, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  const walk = (directory: string): void => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else {
        add(full);
      }
    }
  };
  walk(path.join(REPOSITORY_ROOT, 'src'));
  add(path.join(REPOSITORY_ROOT, 'package.json'));
  add(path.join(REPOSITORY_ROOT, 'package-lock.json'));
  return hash.digest('hex').slice(0, 16);
}
