/**
 * Tokens consumed, normalised across CLIs: `input` counts every prompt token the model read, cache reads and
 * cache writes included; `cached` is the part read from the provider's prompt cache; `cacheWrite` the part
 * written to it (Anthropic bills writes above the input price); `output` counts every generated token,
 * reasoning included.
 */
export interface TokenUsage {
  readonly input: number;
  readonly output: number;
  readonly cached: number;
  /** Absent in the results of workers older than per-model usage: read as 0. */
  readonly cacheWrite?: number;
}

/** What one model consumed in a run: `model` is the id the provider reported serving, not the alias asked for. */
export interface ModelUsage extends TokenUsage {
  readonly model: string;
  readonly cacheWrite: number;
}

