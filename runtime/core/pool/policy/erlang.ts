/**
 * Erlang's loss formula B(servers, load): the probability that all `servers` are busy when Poisson arrivals
 * offer `load` erlangs (arrival rate × mean holding time), computed by the stable recurrence
 * B(0) = 1, B(k) = load·B(k−1) / (k + load·B(k−1)). It depends on the holding time only through its mean.
 */
export function erlangB(servers: number, load: number): number {
  let blocking = 1;
  for (let k = 1; k <= servers; k++) {
    blocking = (load * blocking) / (k + load * blocking);
  }
  return blocking;
}

/** The fewest servers (at most `cap`) for which B(servers, load) is at most `blocking`; `cap` if none is. */
export function serversForBlocking(load: number, blocking: number, cap: number): number {
  if (load <= 0) {
    return 0;
  }
  let loss = 1;
  for (let servers = 0; servers < cap; servers++) {
    if (loss <= blocking) {
      return servers;
    }
    loss = (load * loss) / (servers + 1 + load * loss);
  }
  return cap;
}
