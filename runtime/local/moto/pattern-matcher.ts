import { ChildProcess, spawn } from 'child_process';
import * as readline from 'readline';

/**
 * moto's EventBridge pattern engine (moto.events.models.EventPattern, behind its PutRule and PutEvents), asked
 * one question per line: `{"pattern": ..., "event": ...}` in, `true`/`false` (or `{"error": ...}` for a pattern
 * EventBridge would refuse) out. Lambda's event filtering applies "the same set of syntax and rules as Amazon
 * EventBridge" (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html), so the stream
 * router asks it too: no hand-written matcher decides which records reach a function.
 */
const MATCHER_SOURCE = String.raw`
import json, sys
from moto.events.models import EventPattern
from moto.events.exceptions import InvalidEventPatternException
for line in sys.stdin:
    question = json.loads(line)
    try:
        answer = EventPattern.load(json.dumps(question["pattern"])).matches_event(question["event"])
    except InvalidEventPatternException as error:
        answer = {"error": error.message}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
`;

export class PatternMatcher {
  /** A matcher on the Python that runs moto (the same environment, so the same moto version). */
  public static start(python: string): PatternMatcher {
    return new PatternMatcher(spawn(python, ['-c', MATCHER_SOURCE], { stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  private readonly pending: Array<{ resolve: (match: boolean) => void; reject: (error: Error) => void }> = [];
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const answer = JSON.parse(line) as boolean | { error: string };
      const waiter = this.pending.shift();
      if (typeof answer === 'boolean') {
        waiter?.resolve(answer);
      } else {
        waiter?.reject(new Error(`the pattern is invalid: ${answer.error}`));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => { this.stderr += chunk.toString('utf8'); });
    child.once('exit', (code) => {
      for (const waiter of this.pending.splice(0)) {
        waiter.reject(new Error(`the pattern matcher exited with ${code}: ${this.stderr.trim()}`));
      }
    });
  }

  /** Whether `event` matches `pattern`, as EventBridge decides. */
  public async matches(pattern: unknown, event: unknown): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin!.write(`${JSON.stringify({ pattern, event })}\n`);
    });
  }

  /** Whether `event` matches any of the patterns: a record passes a mapping's filters when one of them matches. */
  public async matchesAny(patterns: readonly unknown[], event: unknown): Promise<boolean> {
    for (const pattern of patterns) {
      if (await this.matches(pattern, event)) {
        return true;
      }
    }
    return false;
  }

  public stop(): void {
    this.child.stdin!.end();
    this.child.kill('SIGTERM');
  }
}
