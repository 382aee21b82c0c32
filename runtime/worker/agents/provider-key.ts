/**
 * The provider key the task was given (ECS secrets use the providers' usual names), under the name a CLI
 * reads it from; nothing when the task has no such key (Claude on Bedrock, for one).
 */
export function providerKeyAs(env: Readonly<Record<string, string | undefined>>, injected: string, expected: string): Record<string, string> {
  const value = env[injected];
  return value ? { [expected]: value } : {};
}
