import type { Report } from '../types.js';
import type { HistoryEntry } from '../history.js';
import { formatGithub, formatJunit, formatMarkdown } from './ci.js';
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';
import type { Format } from '../../shared/report-formats.js';

export { FORMATS, type Format } from '../../shared/report-formats.js';

export interface FormatOptions {
  color: boolean;
  /** Past runs (from --history), oldest first, for the HTML chart. */
  history?: readonly HistoryEntry[];
  /** The project root's path inside its git repository ("" at the top), for SARIF and GitHub paths. */
  srcRootPrefix?: string;
}

export function formatReport(report: Report, format: Format, options: FormatOptions): string {
  const prefix = options.srcRootPrefix !== undefined ? { srcRootPrefix: options.srcRootPrefix } : {};
  switch (format) {
    case 'text':
      return formatText(report, { color: options.color });
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report, prefix);
    case 'markdown':
      return formatMarkdown(report);
    case 'junit':
      return formatJunit(report);
    case 'github':
      return formatGithub(report, prefix);
    case 'html':
      return formatHtml(report, options.history ? { history: options.history } : {});
  }
}
