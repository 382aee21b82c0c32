import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeClusterTasks, grantOnClusterTasks } from './worker-grants';
import { SecureVpc } from '../network/secure-vpc';

/** Props for {@link OutpostCluster}. */
export interface OutpostClusterProps {
  /** The network the cluster's tasks live in. */
  readonly network: SecureVpc;
}

/**
 * Where runs happen: an ECS cluster with Fargate and Fargate Spot capacity and Container Insights. What the
 * runs leave behind (tables, artifacts bucket, workspaces file system) is {@link PlatformStorage}.
 */
export class OutpostCluster extends Construct {
  public readonly cluster: ecs.Cluster;

  constructor(scope: Construct, id: string, props: OutpostClusterProps) {
    super(scope, id);

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.network.vpc,
      enableFargateCapacityProviders: true,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
  }

  /**
   * Stop the cluster's tasks (ecs:StopTask on its tasks, only in this cluster): for the control plane's
   * functions that end a run.
   */
  public grantTaskStop(grantee: iam.IGrantable): iam.Grant {
    const grant = grantOnClusterTasks(grantee, this.cluster, ['ecs:StopTask']);
    const principal = grantee.grantPrincipal as iam.IRole;
    if (Construct.isConstruct(principal) && principal.roleArn) {
      acknowledgeClusterTasks(principal, this.cluster);
    }
    return grant;
  }
}
