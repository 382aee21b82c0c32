import * as fs from 'fs';
import * as path from 'path';
import { App, AssetStaging, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Agent, AgentImage, OutpostPlatform } from '../../src';
import { PACKAGE_ROOT } from '../../src/core/runtime-assets';

/** The construct's ways of letting a principal call the API. */
export const API_GRANTS = ['grantDispatch', 'grantRead', 'grantAdmin'] as const;
export type ApiGrant = (typeof API_GRANTS)[number];

/** One route of the deployed API and the handler behind it. */
export interface DeployedRoute {
  readonly method: string;
  /** As declared, e.g. `/dispatch/{id}/logs`. */
  readonly path: string;
  /** The handler's folder: runtime/handlers/<handler> (bundled to assets/handlers/<handler>). */
  readonly handler: string;
}

export interface DeployedApi {
  readonly routes: DeployedRoute[];
  /** The execute-api:Invoke resources each grant allows, as what follows the API id: `/$default/GET/dispatch/*`. */
  readonly invocable: Record<ApiGrant, string[]>;
}

/** A role's name per grant; none is a prefix of another's, or of the platform's own roles. */
const GRANTEE: Record<ApiGrant, string> = { grantDispatch: 'Dispatcher', grantRead: 'Reader', grantAdmin: 'Administrator' };

/**
 * The API as `OutpostPlatform` deploys it, read from its synthesized template rather than written again:
 * every route with the handler its integration invokes, and what each grant lets a principal invoke.
 * Needs the bundled handlers (`npx projen bundle:runtime`), which the functions' code points to.
 */
export function synthDeployedApi(): DeployedApi {
  if (!fs.existsSync(path.join(PACKAGE_ROOT, 'assets', 'handlers'))) {
    throw new Error('assets/handlers is missing: run `npx projen bundle:runtime` first');
  }
  const stack = new Stack(new App(), 'Api');
  const platform = new OutpostPlatform(stack, 'Outpost', { agents: [Agent.claude({ image: AgentImage.fromRegistry('example/claude:1') })] });
  for (const grant of API_GRANTS) {
    platform.controlPlane[grant](new iam.Role(stack, GRANTEE[grant], { assumedBy: new iam.AccountRootPrincipal() }));
  }
  const template = Template.fromStack(stack);
  const invocable = Object.fromEntries(API_GRANTS.map((grant) => [grant, invokeResources(template, GRANTEE[grant])])) as Record<ApiGrant, string[]>;
  return { routes: routesOf(stack, template), invocable };
}

function routesOf(stack: Stack, template: Template): DeployedRoute[] {
  // A function's code is its handler's bundle folder: map each function's logical id to that folder's name.
  const handlerByFunction = new Map<string, string>();
  for (const construct of stack.node.findAll()) {
    const staging = construct instanceof lambda.Function ? construct.node.findAll().find((child) => child instanceof AssetStaging) : undefined;
    if (staging instanceof AssetStaging) {
      handlerByFunction.set(stack.getLogicalId(construct.node.defaultChild as CfnElement), path.basename(staging.sourcePath));
    }
  }
  const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
  return Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => {
    const [method, routePath] = (route.Properties.RouteKey as string).split(' ');
    const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref;
    const functionId = integrations[integrationId].Properties.IntegrationUri['Fn::GetAtt'][0];
    const handler = handlerByFunction.get(functionId);
    if (!handler) {
      throw new Error(`route ${route.Properties.RouteKey} invokes ${functionId}, which runs no bundled handler`);
    }
    return { method, path: routePath, handler };
  });
}

/** The execute-api:Invoke resources of the one policy of the role whose logical id starts with `role`. */
function invokeResources(template: Template, role: string): string[] {
  const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p) => p.Properties.Roles[0].Ref.startsWith(role));
  const statements = policy?.Properties.PolicyDocument.Statement ?? [];
  if (statements.length !== 1 || statements[0].Action !== 'execute-api:Invoke') {
    throw new Error(`expected ${role} to hold one execute-api:Invoke statement, found ${JSON.stringify(statements)}`);
  }
  // Each resource is `arn:…:execute-api:<region>:<account>:<api>/$default/<METHOD><path>`: keep what follows the API id.
  return [statements[0].Resource].flat().map((arn: any) => arn['Fn::Join'][1].slice(-1)[0] as string).sort();
}
