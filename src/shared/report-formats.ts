/**
 * The output formats of `ssot report`, as data: the formatters (src/report/formatters) implement
 * them, and the CLI lists and checks them (`ssot report --help`, `--format`) without loading the
 * report's code, which no other command needs.
 */
export const FORMATS = ['text', 'json', 'sarif', 'markdown', 'junit', 'github', 'html'] as const;
export type Format = (typeof FORMATS)[number];
