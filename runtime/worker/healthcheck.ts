/** `worker.js --healthcheck`: the Docker HEALTHCHECK and the ECS container health check. */
export async function healthcheck(port: number): Promise<number> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3000) });
    return response.status === 200 ? 0 : 1;
  } catch {
    return 1;
  }
}
