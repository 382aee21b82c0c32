import { CreateLogStreamCommand, PutLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

/**
 * The awslogs log driver for a local task: the container's output, line by line, into its task definition's
 * log group in moto, on the stream `<prefix>/<container>/<task id>` as the driver names it
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html), where the platform's log
 * route reads it.
 */
export class WorkerLogs {
  private shipped = 0;
  private created = false;
  private shipping: Promise<void> = Promise.resolve();

  constructor(
    private readonly logs: CloudWatchLogsClient,
    private readonly group: string,
    private readonly stream: string,
  ) {}

  /** Ships what `output` holds beyond what was shipped before (whole lines only, unless `final`). */
  public ship(output: string, final = false): Promise<void> {
    this.shipping = this.shipping.then(() => this.send(output, final));
    return this.shipping;
  }

  private async send(output: string, final: boolean): Promise<void> {
    const end = final ? output.length : output.lastIndexOf('\n') + 1;
    if (end <= this.shipped) {
      return;
    }
    const lines = output.slice(this.shipped, end).split('\n').filter((line) => line.length > 0);
    this.shipped = end;
    if (!this.created) {
      await this.logs.send(new CreateLogStreamCommand({ logGroupName: this.group, logStreamName: this.stream }));
      this.created = true;
    }
    const now = Date.now();
    for (let at = 0; at < lines.length; at += 1000) {
      await this.logs.send(new PutLogEventsCommand({
        logGroupName: this.group,
        logStreamName: this.stream,
        logEvents: lines.slice(at, at + 1000).map((message) => ({ timestamp: now, message })),
      }));
    }
  }
}
