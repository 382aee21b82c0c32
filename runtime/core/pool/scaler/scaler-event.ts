import type { DynamoDBRecord } from 'aws-lambda';
import * as z from 'zod/mini';

/** What CloudFormation sends a custom resource, the parts the drain needs. */
const CustomResourceRequestSchema = z.object({
  RequestType: z.enum(['Create', 'Update', 'Delete']),
  ResponseURL: z.string(),
  StackId: z.string(),
  RequestId: z.string(),
  LogicalResourceId: z.string(),
  PhysicalResourceId: z.optional(z.string()),
});
export type CustomResourceRequest = z.infer<typeof CustomResourceRequestSchema>;

const ScheduledEventSchema = z.object({ 'source': z.literal('aws.events'), 'detail-type': z.literal('Scheduled Event') });
const StreamEventSchema = z.object({ Records: z.array(z.object({ eventSource: z.literal('aws:dynamodb') })) });

/**
 * The scaler's three callers: its minute (an EventBridge schedule), the pool table's stream, and CloudFormation
 * (the custom resource that drains the pools when the stack is deleted).
 */
export type ScalerEvent =
  | { readonly kind: 'tick' }
  | { readonly kind: 'stream'; readonly records: readonly DynamoDBRecord[] }
  | { readonly kind: 'custom-resource'; readonly request: CustomResourceRequest };

export function scalerEventOf(event: unknown): ScalerEvent | undefined {
  if (z.safeParse(ScheduledEventSchema, event).success) {
    return { kind: 'tick' };
  }
  if (z.safeParse(StreamEventSchema, event).success) {
    return { kind: 'stream', records: (event as { Records: DynamoDBRecord[] }).Records };
  }
  const request = z.safeParse(CustomResourceRequestSchema, event);
  return request.success ? { kind: 'custom-resource', request: request.data } : undefined;
}
