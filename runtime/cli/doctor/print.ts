import type { DoctorCheck, DoctorReport } from './report';
import type { Style } from '../output/style';
import { table } from '../output/table';

const MARK: Record<DoctorCheck['status'], string> = { pass: '✓', fail: '✗', skip: '-' };
const COLOUR = { pass: 'green', fail: 'red', skip: 'dim' } as const;

/** The checks as a ✓/✗ table, then each failure's fix, then the verdict. */
export function printedReport(report: DoctorReport, style: Style): string {
  const rows = report.checks.map((check) => [MARK[check.status], check.kind, check.subject, check.detail]);
  const lines = [
    `Outpost doctor: ${report.endpoint}`,
    '',
    table([
      { heading: '', paint: (padded, raw) => style.paint(COLOUR[raw === '✓' ? 'pass' : raw === '✗' ? 'fail' : 'skip'], padded) },
      { heading: 'check' }, { heading: 'subject' }, { heading: 'detail' },
    ], rows),
  ];
  const failed = report.checks.filter((check) => check.status === 'fail');
  if (failed.length > 0) {
    lines.push('', 'To fix:', ...failed.map((check) => `${style.paint('red', MARK.fail)} ${check.kind} ${check.subject}: ${check.fix}`));
  }
  lines.push('', report.ok ? 'All checks passed.' : `${failed.length} check${failed.length === 1 ? '' : 's'} failed.`);
  return lines.join('\n');
}
