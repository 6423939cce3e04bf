import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';
import type { ConceptInput, LegacyModuleInput, SsotConfigInput } from '../../src/core/index.js';
// The schema module is plain data (no TypeScript import): cheap to load with the config.
import { configSchema } from '../../src/core/config/schema.js';

/**
 * Options every ssot rule accepts. Without any of them the rule reads the project's ssot config
 * (found from the linted file). `concepts` (an inline ssot config) or the ESLint core
 * `no-restricted-imports` shape (`paths`, `patterns`) replace the config file.
 */
export interface ConfigOptions {
  /** Explicit ssot config file (relative to ESLint's cwd); no upward search then. */
  configFile?: string;
  /** Root for inline options (default: ESLint's cwd). */
  rootDir?: string;
  /** tsconfig for module resolution with inline options. */
  tsconfig?: string;
  /** An inline ssot config: the `concepts` array of ssot.config.json. */
  concepts?: ConceptInput[];
}

/** A `paths` entry of ESLint's no-restricted-imports, plus `replacement`. */
export type RestrictedPath =
  | string
  | {
      name: string;
      message?: string;
      importNames?: string[];
      allowTypeImports?: boolean;
      /** Module to import instead: enables the fixer. */
      replacement?: string;
    };

/** A `patterns` entry of ESLint's no-restricted-imports, plus `replacement`. */
export type RestrictedPattern =
  | string
  | {
      group?: string[];
      regex?: string;
      caseSensitive?: boolean;
      message?: string;
      importNames?: string[];
      allowTypeImports?: boolean;
      replacement?: string;
    };

export interface RestrictedImportsOptions {
  paths?: RestrictedPath[];
  patterns?: RestrictedPattern[];
  /** Default replacement for entries that do not name their own. */
  replacement?: string;
}

const stringArray: JSONSchema4 = { type: 'array', items: { type: 'string' } };

export const configOptionProperties: Record<string, JSONSchema4> = {
  configFile: {
    type: 'string',
    minLength: 1,
    description: 'Path of the ssot config (default: searched upward from the linted file).',
  },
  rootDir: { type: 'string', minLength: 1, description: 'Project root for inline options (default: ESLint cwd).' },
  tsconfig: { type: 'string', minLength: 1, description: 'tsconfig used for module resolution with inline options.' },
  // The core's own schema for concepts: one definition of the config shape (re-validated by the core).
  concepts: configSchema.properties!['concepts'] as JSONSchema4,
};

export const restrictedImportsProperties: Record<string, JSONSchema4> = {
  paths: {
    type: 'array',
    items: {
      anyOf: [
        { type: 'string', minLength: 1 },
        {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1 },
            message: { type: 'string', minLength: 1 },
            importNames: stringArray,
            allowTypeImports: { type: 'boolean' },
            replacement: { type: 'string', minLength: 1 },
          },
        },
      ],
    },
  },
  patterns: {
    type: 'array',
    items: {
      anyOf: [
        { type: 'string', minLength: 1 },
        {
          type: 'object',
          additionalProperties: false,
          properties: {
            group: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
            regex: { type: 'string', minLength: 1 },
            caseSensitive: { type: 'boolean' },
            message: { type: 'string', minLength: 1 },
            importNames: stringArray,
            allowTypeImports: { type: 'boolean' },
            replacement: { type: 'string', minLength: 1 },
          },
        },
      ],
    },
  },
  replacement: { type: 'string', minLength: 1, description: 'Default replacement module for paths/patterns entries.' },
};

/** Prefix of the concept ids made from no-restricted-imports entries without a replacement. */
export const NO_REPLACEMENT_PREFIX = 'restricted-';
/** Prefix of the concept ids made from no-restricted-imports entries with a replacement. */
const REPLACEMENT_PREFIX = 'replace-';

function hasRestrictedImports(options: RestrictedImportsOptions): boolean {
  return (options.paths?.length ?? 0) > 0 || (options.patterns?.length ?? 0) > 0;
}

/**
 * Translates the no-restricted-imports shape into ssot concepts, one per entry: a legacy module
 * matched by specifier text (as no-restricted-imports matches), whose canonical module is the
 * entry's `replacement`. Without a replacement the canonical module is the restricted specifier
 * itself and the concept id says so (no fix is offered then).
 */
function translateRestrictedImports(options: RestrictedImportsOptions): ConceptInput[] {
  const concepts: ConceptInput[] = [];
  const add = (
    kind: 'path' | 'pattern',
    index: number,
    pattern: NonNullable<LegacyModuleInput['pattern']>,
    entry: Exclude<RestrictedPath | RestrictedPattern, string> | undefined,
    display: string,
  ): void => {
    const replacement = entry?.replacement ?? options.replacement;
    const legacy: LegacyModuleInput = {
      pattern,
      ...(entry?.importNames && entry.importNames.length > 0 ? { importNames: entry.importNames } : {}),
      ...(entry?.allowTypeImports !== undefined ? { allowTypeImports: entry.allowTypeImports } : {}),
      ...(entry?.message !== undefined ? { message: entry.message } : {}),
    };
    concepts.push({
      id: `${replacement ? REPLACEMENT_PREFIX : NO_REPLACEMENT_PREFIX}${kind}-${index}`,
      description: `no-restricted-imports ${kind}: ${display}`,
      canonical: { module: replacement ?? display, names: [] },
      legacy: [legacy],
      detect: { names: [], members: [], heritage: [] },
    });
  };
  (options.paths ?? []).forEach((entry, i) => {
    const name = typeof entry === 'string' ? entry : entry.name;
    add('path', i, { exact: [name], caseSensitive: true }, typeof entry === 'string' ? undefined : entry, name);
  });
  (options.patterns ?? []).forEach((entry, i) => {
    if (typeof entry === 'string') {
      add('pattern', i, { group: [entry] }, undefined, entry);
      return;
    }
    const pattern = {
      ...(entry.group ? { group: entry.group } : {}),
      ...(entry.regex ? { regex: entry.regex } : {}),
      ...(entry.caseSensitive !== undefined ? { caseSensitive: entry.caseSensitive } : {}),
    };
    add(
      'pattern',
      i,
      pattern,
      entry,
      [...(entry.group ?? []), ...(entry.regex ? [`/${entry.regex}/`] : [])].join(', '),
    );
  });
  return concepts;
}

/** The inline ssot config the options describe, or undefined when the config file applies. */
export function inlineConfig(options: ConfigOptions & RestrictedImportsOptions): SsotConfigInput | undefined {
  const concepts = [...(options.concepts ?? []), ...translateRestrictedImports(options)];
  if (concepts.length === 0) return undefined;
  return { concepts, ...(options.tsconfig ? { tsconfig: options.tsconfig } : {}) };
}
