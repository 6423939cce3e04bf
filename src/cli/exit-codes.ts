/** Exit codes of every `ssot` command (ESLint's convention). Documented in the README. */
export const EXIT_OK = 0;
/** Findings that fail the command: new violations (`check`), files that failed (`migrate`). */
export const EXIT_FINDINGS = 1;
/** Usage, config or internal error: nothing was decided. */
export const EXIT_ERROR = 2;
