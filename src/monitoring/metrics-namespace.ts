/**
 * The CloudWatch namespace of every metric the platform publishes, the one source of it: the constructs
 * (`metricXxx()` methods, the dashboard) and the runtime's publishers (runtime/adapters/*-metrics.ts) import it.
 * The runtime imports it from here (as it imports src/agents/agent-user.ts) rather than reading it from its
 * environment: it is a constant of the platform, not a setting, and this file imports nothing, so a handler's
 * bundle gains only the string.
 */
export const METRICS_NAMESPACE = 'Outpost';

/**
 * The dimension that names a pool cold start's capacity provider (`PoolCapacityProvider`), beside `agent`, in the
 * scaler's `ColdStartSeconds` series by provider: here, with the namespace, for the same reason.
 */
export const CAPACITY_PROVIDER_DIMENSION = 'capacityProvider';
