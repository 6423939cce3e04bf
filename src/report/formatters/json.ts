import type { Report } from '../types.js';

/** The report model as JSON (schema/ssot.report.schema.json); `timing` is the only run-dependent field. */
export function formatJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
