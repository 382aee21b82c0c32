import { PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AsyncInvoker } from '../functions/async-invoker';
import type { RuleWiring } from '../template/wiring';

/** A rule of the template, its names and pattern resolved, and an invoker per target id. */
export interface DeployedRule {
  readonly wiring: RuleWiring;
  readonly name: string;
  readonly bus?: string;
  readonly pattern: unknown;
  readonly invokers: Readonly<Record<string, AsyncInvoker>>;
}

/** One rule target's delivery queue in moto, and the function it feeds. */
interface Delivery {
  readonly rule: string;
  readonly queueUrl: string;
  readonly invoker: AsyncInvoker;
}

/**
 * The template's EventBridge rules, matched by moto's EventBridge itself: each rule is put on its bus in moto
 * with the pattern the template gives it (intrinsics resolved), targeting a queue of Outpost Local's; what
 * moto delivers there is handed to the target function as EventBridge invokes Lambda, asynchronously. So an
 * event reaches a function exactly when AWS's pattern semantics (as moto implements them) say it does.
 */
export class RuleRouter {
  public static async create(
    events: EventBridgeClient,
    sqs: SQSClient,
    rules: readonly DeployedRule[],
  ): Promise<RuleRouter> {
    const deliveries: Delivery[] = [];
    for (const rule of rules.filter((candidate) => candidate.wiring.enabled)) {
      await events.send(new PutRuleCommand({ Name: rule.name, EventBusName: rule.bus, EventPattern: JSON.stringify(rule.pattern), State: 'ENABLED' }));
      const targets = [];
      for (const target of rule.wiring.targets) {
        const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `outpost-local-${rule.name}-${target.id}`.slice(0, 80) }));
        const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
        targets.push({ Id: target.id, Arn: Attributes!.QueueArn! });
        deliveries.push({ rule: rule.wiring.logicalId, queueUrl: QueueUrl!, invoker: rule.invokers[target.id] });
      }
      await events.send(new PutTargetsCommand({ Rule: rule.name, EventBusName: rule.bus, Targets: targets }));
    }
    return new RuleRouter(sqs, deliveries);
  }

  private readonly running = new Set<Promise<unknown>>();

  private constructor(private readonly sqs: SQSClient, private readonly deliveries: readonly Delivery[]) {}

  /** Until every invocation started so far has ended, retries included. */
  public async settled(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.all([...this.running]);
    }
  }

  /** Delivers what moto matched since the last poll; answers how many events it handed to functions. */
  public async poll(): Promise<number> {
    const counts = await Promise.all(this.deliveries.map(async (delivery) => {
      const receive = new ReceiveMessageCommand({ QueueUrl: delivery.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 });
      const { Messages = [] } = await this.sqs.send(receive);
      for (const message of Messages) {
        await this.sqs.send(new DeleteMessageCommand({ QueueUrl: delivery.queueUrl, ReceiptHandle: message.ReceiptHandle }));
        // EventBridge's invocation is asynchronous: its retries and failures are the function's async settings'.
        const invocation = delivery.invoker.invoke(JSON.parse(message.Body!));
        this.running.add(invocation);
        void invocation.finally(() => this.running.delete(invocation));
      }
      return Messages.length;
    }));
    return counts.reduce((sum, count) => sum + count, 0);
  }
}
