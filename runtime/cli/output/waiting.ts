import type { Cli } from '../cli';

/**
 * How long an answer may take before the CLI says that it waits for it: soon on a terminal, where a spinner costs
 * nothing; later elsewhere, where the line stays in a script's log.
 */
export const PROGRESS_AFTER_MS = { terminal: 1_500, other: 5_000 } as const;

/**
 * `fetch`, saying so on stderr when an answer is slow: on a terminal a spinner with the seconds waited (unless one
 * already spins, as while a followed run waits for its worker); elsewhere one line, once, so that logs stay short.
 */
export function progressFetch(cli: Cli, timeoutSeconds: number): typeof fetch {
  let told = false;
  const waiting = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const origin = new URL(input instanceof Request ? input.url : input).origin;
    const started = Date.now();
    let spinning = false;
    const tell = () => {
      const text = `waiting for ${origin} (${Math.round((Date.now() - started) / 1000)} s of at most ${timeoutSeconds} s; --timeout-seconds N to change)…`;
      if (cli.io.stderr.isTTY === true) {
        if (spinning) {
          cli.spinner.update(text);
        } else if (!cli.spinner.running) {
          spinning = true;
          cli.spinner.start(text);
        }
      } else if (!told) {
        told = true;
        cli.io.stderr.write(`outpost: ${text}\n`);
      }
    };
    let timer: NodeJS.Timeout | undefined = setTimeout(function again() {
      tell();
      timer = setTimeout(again, 1_000);
    }, cli.io.stderr.isTTY === true ? PROGRESS_AFTER_MS.terminal : PROGRESS_AFTER_MS.other);
    try {
      return await globalThis.fetch(input, init);
    } finally {
      clearTimeout(timer);
      if (spinning) {
        cli.spinner.stop();
      }
    }
  };
  return waiting as typeof fetch;
}
