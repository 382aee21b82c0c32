/**
 * The gateway alone in a process, as it runs in the worker's: started with the environment it is given, it sends
 * its URL to the parent, and its memory whenever asked (IPC). bench/gateway/latency.ts forks it.
 */
import { ModelGateway } from '../../runtime/worker/gateway/gateway';

async function main(): Promise<void> {
  const gateway = await ModelGateway.start({ env: process.env, upstreamCa: process.env.BENCH_UPSTREAM_CA });
  let peak = process.memoryUsage();
  let sampler: NodeJS.Timeout | undefined;
  process.on('message', (message: string) => {
    if (message === 'sample') {
      // Sampled often while a large answer passes, so that it shows in the peak; not during the latency runs.
      sampler = setInterval(() => {
        const now = process.memoryUsage();
        peak = { ...now, rss: Math.max(peak.rss, now.rss), heapUsed: Math.max(peak.heapUsed, now.heapUsed) };
      }, 5);
      process.send!({ memory: process.memoryUsage(), cpu: process.cpuUsage() });
    } else if (message === 'memory') {
      clearInterval(sampler);
      const now = process.memoryUsage();
      const highest = { ...now, rss: Math.max(peak.rss, now.rss), heapUsed: Math.max(peak.heapUsed, now.heapUsed) };
      process.send!({ memory: now, peak: highest, usage: gateway.meter.usage(), cpu: process.cpuUsage() });
      peak = now;
    } else if (message === 'stop') {
      void gateway.close().then(() => process.exit(0));
    }
  });
  process.send!({ url: gateway.url, memory: process.memoryUsage(), cpu: process.cpuUsage() });
}

void main();
