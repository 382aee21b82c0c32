/**
 * The agent conformance table (bench/conformance/RESULTS.md) from jest's JSON report of the conformance suites:
 * for each agent, its CLI at the image's pin, and whether the real CLI's run through the bundled worker succeeded,
 * pushed its commit, reported exactly the usage the provider stand-in did, and failed each provider failure.
 *
 *   npx jest test/conformance --coverage=false --json --outputFile=test-reports/conformance.json
 *   npx ts-node --project bench/tsconfig.json bench/conformance/table.ts test-reports/conformance.json
 *
 * Each cell is the verdict of the named tests: ✓ when every one passed, ✗ with the count that failed, and "—" when
 * the report has none (the suite did not run). Nothing here runs an agent; the suites do.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AgentName } from '../../runtime/contracts/agent-names';
import { cliPin } from '../../runtime/local/kit/cli-install';

interface AssertionResult {
  readonly ancestorTitles: readonly string[];
  readonly title: string;
  readonly status: string;
}

interface JestReport {
  readonly testResults: ReadonlyArray<{
    readonly name: string;
    readonly startTime: number;
    readonly endTime: number;
    readonly assertionResults: readonly AssertionResult[];
  }>;
}

/** Which tests of an agent's suite prove each column, by their full titles. */
interface Columns {
  readonly succeeded: RegExp;
  readonly committed: RegExp;
  readonly usage: RegExp;
  readonly failures: RegExp;
}

/** The suites name their cases in their own words; these match them (test/conformance/<agent>.conformance.test.ts). */
const COLUMNS: Record<AgentName, Columns> = {
  claude: { succeeded: /succeeds and exits 0/, committed: /committed on outpost/, usage: /exactly the usage/, failures: /provider failures end the run failed/ },
  aider: { succeeded: /succeeds and exits 0/, committed: /committed on outpost/, usage: /exactly the usage/, failures: /provider failures end the run failed/ },
  codex: { succeeded: /succeeds and exits 0/, committed: /pushes a commit on outpost/, usage: /exactly the usage/, failures: /a provider failure makes the run failed/ },
  gemini: { succeeded: /edits the file over two turns/, committed: /edits the file over two turns/, usage: /usage (goes to the served model|per model exactly)/, failures: /the provider failing/ },
  grok: { succeeded: /edits the repository over a tool turn, commits it/, committed: /commits it/, usage: /reports the usage xAI reported/, failures: /the dispatch fails with the provider's reason/ },
};

const AGENTS = Object.keys(COLUMNS) as AgentName[];

function verdict(results: readonly AssertionResult[], pattern: RegExp, exclude?: RegExp): string {
  const matching = results.filter((result) => {
    const title = [...result.ancestorTitles, result.title].join(' ');
    return pattern.test(title) && !(exclude?.test(title) ?? false);
  });
  if (matching.length === 0) {
    return '—';
  }
  const failed = matching.filter((result) => result.status !== 'passed').length;
  return failed === 0 ? `✓ (${matching.length})` : `✗ ${failed} of ${matching.length}`;
}

function table(report: JestReport): string {
  const rows = AGENTS.map((agent) => {
    const suite = report.testResults.find((result) => path.basename(result.name) === `${agent}.conformance.test.ts`);
    const pin = cliPin(agent);
    const results = suite?.assertionResults ?? [];
    const columns = COLUMNS[agent];
    const seconds = suite ? ((suite.endTime - suite.startTime) / 1000).toFixed(0) : '—';
    return [
      agent,
      `${pin.package} ${pin.version}`,
      verdict(results, columns.succeeded, columns.failures),
      verdict(results, columns.committed, columns.failures),
      verdict(results, columns.usage, columns.failures),
      verdict(results, columns.failures),
      seconds,
    ];
  });
  const header = ['agent', 'CLI (image pin)', 'run succeeded', 'commit pushed', 'usage = provider\'s', 'provider failures → FAILED with reason', 'suite s'];
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

const [reportFile] = process.argv.slice(2);
if (!reportFile) {
  console.error('usage: table.ts <jest JSON report of test/conformance> (see the comment at the top of this file)');
  process.exit(2);
}
console.log(table(JSON.parse(fs.readFileSync(reportFile, 'utf8')) as JestReport));
