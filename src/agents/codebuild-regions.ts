import { Aws, CfnRule, Fn, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * Regions where AWS CodeBuild is not offered, so the platform cannot build its images there: cfn-lint's Region
 * data (the AWS::CodeBuild::Project resource type is absent from these Regions' CloudFormation specs).
 */
export const REGIONS_WITHOUT_CODEBUILD: readonly string[] = ['ap-east-2', 'ca-west-1', 'mx-central-1'];

const RULE_ID = 'OutpostCodeBuildRegion';

/** What to do in a Region without CodeBuild, said at synth and at deploy alike. */
function withoutCodeBuild(where: string): string {
  return `AWS CodeBuild is not offered in ${where}, so Outpost cannot build the agent images there. `
    + 'Build and push them yourself (containers/build.sh) and give each agent its image: '
    + '`image: AgentImage.fromEcrRepository(repository, tag)` or `image: AgentImage.fromRegistry(name)`.';
}

/**
 * Refuse a Region without CodeBuild: at synth when the stack's Region is known, else (a Region-agnostic stack)
 * with a template rule, which CloudFormation checks before it creates anything.
 */
export function refuseRegionsWithoutCodeBuild(scope: Construct): void {
  const stack = Stack.of(scope);
  if (!Token.isUnresolved(stack.region)) {
    if (REGIONS_WITHOUT_CODEBUILD.includes(stack.region)) {
      throw new Error(withoutCodeBuild(stack.region));
    }
    return;
  }
  if (stack.node.tryFindChild(RULE_ID)) {
    return;
  }
  new CfnRule(stack, RULE_ID, {
    assertions: [{
      assert: Fn.conditionNot(Fn.conditionContains([...REGIONS_WITHOUT_CODEBUILD], Aws.REGION)),
      assertDescription: withoutCodeBuild(`${REGIONS_WITHOUT_CODEBUILD.slice(0, -1).join(', ')} or ${REGIONS_WITHOUT_CODEBUILD.slice(-1)[0]}`),
    }],
  });
}
