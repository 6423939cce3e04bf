/**
 * The config's JSON Schema. It is the single definition of the config shape: `validate.ts`
 * interprets it (to give errors with key paths) and the build writes it to
 * `schema/ssot.config.schema.json` for editors (`"$schema"`).
 */
export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

/**
 * The subset of JSON Schema (draft-07) that validate.ts interprets: what the config schema and
 * the shipped report schema (`schema/ssot.report.schema.json`, checked on `--merge`) use.
 */
export type JsonSchema = {
  $schema?: string;
  $id?: string;
  /** Local references only: `#/definitions/<name>`. */
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  not?: JsonSchema;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  pattern?: string;
  default?: unknown;
};

const globs: JsonSchema = { type: 'array', items: { type: 'string', minLength: 1 } };
const nameMap: JsonSchema = {
  type: 'object',
  additionalProperties: { type: 'string', minLength: 1 },
};

export const configSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://ssot-kit.dev/schema/ssot.config.schema.json',
  title: 'ssot-kit configuration',
  type: 'object',
  additionalProperties: false,
  required: ['concepts'],
  properties: {
    $schema: { type: 'string' },
    include: { ...globs, description: 'Globs of files to scan, relative to the project root.' },
    exclude: { ...globs, description: 'Globs of files to leave out (node_modules is always left out).' },
    tsconfig: { type: 'string', minLength: 1, description: 'tsconfig used for module resolution.' },
    concepts: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id'],
        properties: {
          id: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9._-]+$' },
          preset: { type: 'string', minLength: 1, description: 'Built-in preset, e.g. "message-router".' },
          description: { type: 'string' },
          canonical: {
            type: 'object',
            additionalProperties: false,
            properties: {
              module: { type: 'string', minLength: 1 },
              files: globs,
              names: { type: 'array', items: { type: 'string', minLength: 1 } },
            },
          },
          compat: {
            type: 'object',
            additionalProperties: false,
            required: ['module'],
            properties: { module: { type: 'string', minLength: 1 }, replacements: nameMap },
          },
          legacy: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                module: {
                  type: 'string',
                  minLength: 1,
                  pattern: '^[^*]*(?:/\\*)?$',
                  description:
                    'A repo file or folder, or a package specifier (its root entry only). ' +
                    '"<package>/*" stands for the package\'s subpaths, each moved to the same subpath of the ' +
                    'migration target.',
                },
                pattern: {
                  type: 'object',
                  additionalProperties: false,
                  description: 'Match specifiers by text, as ESLint no-restricted-imports does (instead of `module`).',
                  properties: {
                    exact: { type: 'array', items: { type: 'string', minLength: 1 } },
                    group: { type: 'array', items: { type: 'string', minLength: 1 } },
                    regex: { type: 'string', minLength: 1 },
                    caseSensitive: { type: 'boolean' },
                  },
                },
                names: nameMap,
                importNames: { type: 'array', items: { type: 'string', minLength: 1 } },
                allowTypeImports: { type: 'boolean' },
                message: { type: 'string' },
              },
            },
          },
          detect: {
            type: 'object',
            additionalProperties: false,
            properties: {
              names: { type: 'array', items: { type: 'string', minLength: 1 } },
              members: { type: 'array', items: { type: 'string', minLength: 1 } },
              minMembers: { type: 'integer', minimum: 1 },
              heritage: { type: 'array', items: { type: 'string', minLength: 1 } },
              registries: {
                type: 'array',
                description:
                  "What owning the concept's state looks like (default: derived from the canonical implementation).",
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['call'],
                  properties: {
                    call: { type: 'string', enum: ['each', 'one', 'first'] },
                    keyed: { type: 'boolean' },
                    method: { type: 'string', minLength: 1 },
                  },
                },
              },
              similarity: {
                type: 'number',
                minimum: 0.5,
                maximum: 1,
                description: 'Share of code a copy has in common with the canonical or a legacy body.',
              },
            },
          },
          allow: globs,
        },
      },
    },
  },
};
