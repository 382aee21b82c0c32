import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { RotationNotification } from '../core/rotation/notifications';

/** Publishes rotation notifications to the platform's topic, with `event` and `provider` as attributes to filter on. */
export class RotationNotifier {
  constructor(private readonly client: SNSClient, private readonly topicArn: string) {}

  public async publish(notification: RotationNotification): Promise<void> {
    await this.client.send(new PublishCommand({
      TopicArn: this.topicArn,
      Subject: notification.subject,
      Message: notification.message,
      MessageAttributes: {
        event: { DataType: 'String', StringValue: notification.event },
        provider: { DataType: 'String', StringValue: notification.provider },
      },
    }));
  }
}
