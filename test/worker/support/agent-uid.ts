/**
 * A uid for the agent that no other process on this machine has: a root worker in a test kills every process
 * of its agent's uid when the agent is done, as it does in its task, but here it shares the machine's pid
 * namespace with other tests (and the conformance sandboxes, whose agents are uid 1000).
 */
export function testAgentUid(): number {
  return 40_000 + Math.floor(Math.random() * 20_000);
}
