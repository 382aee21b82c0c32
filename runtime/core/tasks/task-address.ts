/** A task attachment as both ECS shapes carry it: a type and `{name, value}` details. */
export interface TaskAttachment {
  readonly type?: string;
  readonly details?: ReadonlyArray<{ readonly name?: string; readonly value?: string }>;
}

/**
 * The attachment types of a task's network interface: `eni` in EventBridge's task state change events
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html), `ElasticNetworkInterface`
 * in DescribeTasks' answer (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Attachment.html).
 */
const NETWORK_INTERFACE_TYPES: readonly string[] = ['eni', 'ElasticNetworkInterface'];

/** The task's private IPv4 address, from its network interface's attachment, in either shape. */
export function privateIpOf(attachments: readonly TaskAttachment[] | undefined): string | undefined {
  const eni = attachments?.find((attachment) => attachment.type !== undefined && NETWORK_INTERFACE_TYPES.includes(attachment.type));
  return eni?.details?.find((entry) => entry.name === 'privateIPv4Address')?.value;
}
