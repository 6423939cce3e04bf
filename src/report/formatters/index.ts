import type { Report } from '../types.js';
import type { HistoryEntry } from '../history.js';
import { formatText } from './text.js';
import { formatJson } from './json.js';

export const FORMATS = ['text', 'json', 'sarif', 'markdown', 'junit', 'github', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export interface FormatOptions {
  color: boolean;
  /** Past runs (from --history), oldest first, for the HTML chart. */
  history?: readonly HistoryEntry[];
}

export async function formatReport(report: Report, format: Format, options: FormatOptions): Promise<string> {
  switch (format) {
    case 'text':
      return formatText(report, { color: options.color });
    case 'json':
      return formatJson(report);
    default:
      throw new Error(`format ${format} is not implemented yet`);
  }
}
