import type { JsonSchema } from '../core/config/schema.js';
import { IMPORT_FORMS } from '../core/types.js';

/**
 * The shape of one cache entry (a FileRecord, see report-worker.ts): what the report reads from
 * it. The cache is a file on disk that anything may have written; an entry that does not fit is
 * analysed again, never handed to the report (a `sites` that is no array would end the run).
 */
const string: JsonSchema = { type: 'string' };
const integer: JsonSchema = { type: 'integer', minimum: 0 };
const boolean: JsonSchema = { type: 'boolean' };

const importedName: JsonSchema = {
  type: 'object',
  required: ['imported', 'local', 'isTypeOnly', 'start', 'end'],
  properties: { imported: string, local: string, isTypeOnly: boolean, start: integer, end: integer },
};

const resolution: JsonSchema = {
  anyOf: [
    {
      type: 'object',
      required: ['kind', 'path', 'isExternalLibrary'],
      properties: { kind: { const: 'file' }, path: string, isExternalLibrary: boolean, packageName: string },
    },
    { type: 'object', required: ['kind', 'name'], properties: { kind: { const: 'builtin' }, name: string } },
    { type: 'object', required: ['kind'], properties: { kind: { enum: ['unresolved', 'not-resolved'] } } },
  ],
};

const legacyInstance: JsonSchema = {
  anyOf: [
    { type: 'null' },
    {
      type: 'object',
      required: ['className', 'evidence', 'file', 'line'],
      properties: { className: string, evidence: { enum: ['new', 'type'] }, file: string, line: integer },
    },
  ],
};

const target: JsonSchema = {
  anyOf: [
    {
      type: 'object',
      required: ['kind', 'conceptId', 'legacyIndex', 'legacyModule', 'missing', 'internal', 'instances'],
      properties: {
        kind: { const: 'legacy' },
        conceptId: string,
        legacyIndex: integer,
        legacyModule: string,
        missing: boolean,
        internal: boolean,
        instances: { type: 'array', items: legacyInstance },
      },
    },
    {
      type: 'object',
      required: ['kind', 'conceptId', 'compat'],
      properties: { kind: { const: 'canonical' }, conceptId: string, compat: boolean },
    },
    { type: 'object', required: ['kind'], properties: { kind: { const: 'other' } } },
  ],
};

const site: JsonSchema = {
  type: 'object',
  required: [
    'form',
    'specifier',
    'line',
    'column',
    'specifierStart',
    'specifierEnd',
    'nodeStart',
    'nodeEnd',
    'quote',
    'typeOnly',
    'names',
    'file',
    'resolution',
    'target',
  ],
  properties: {
    form: { enum: [...IMPORT_FORMS] },
    specifier: string,
    line: integer,
    column: integer,
    specifierStart: integer,
    specifierEnd: integer,
    nodeStart: integer,
    nodeEnd: integer,
    quote: { enum: ["'", '"', '`'] },
    typeOnly: boolean,
    names: { type: 'array', items: importedName },
    callee: string,
    ambientModule: string,
    file: string,
    resolution,
    target,
  },
};

const duplicate: JsonSchema = {
  type: 'object',
  required: [
    'conceptId',
    'file',
    'line',
    'column',
    'start',
    'end',
    'symbol',
    'declarationKind',
    'signals',
    'fingerprint',
  ],
  properties: {
    conceptId: string,
    file: string,
    line: integer,
    column: integer,
    start: integer,
    end: integer,
    symbol: string,
    declarationKind: { enum: ['class', 'function', 'const-function', 'const-object'] },
    signals: {
      type: 'array',
      items: {
        anyOf: [
          {
            type: 'object',
            required: ['kind', 'storage', 'storageType', 'keyed', 'registers', 'dispatch', 'call'],
            properties: {
              kind: { const: 'owns' },
              storage: string,
              storageType: string,
              keyed: boolean,
              registers: { type: 'array', items: string },
              dispatch: string,
              call: { enum: ['each', 'one', 'first'] },
              method: string,
              via: string,
            },
          },
          {
            type: 'object',
            required: ['kind', 'of', 'symbol', 'similarity'],
            properties: { kind: { const: 'copy' }, of: string, symbol: string, similarity: { type: 'number' } },
          },
          { type: 'object', required: ['kind', 'pattern'], properties: { kind: { const: 'name' }, pattern: string } },
          {
            type: 'object',
            required: ['kind', 'name'],
            properties: { kind: { const: 'canonical-name' }, name: string },
          },
          {
            type: 'object',
            required: ['kind', 'matched', 'total', 'required'],
            properties: {
              kind: { const: 'shape' },
              matched: { type: 'array', items: string },
              total: integer,
              required: integer,
            },
          },
          {
            type: 'object',
            required: ['kind', 'clause', 'typeName'],
            properties: {
              kind: { const: 'heritage' },
              clause: { enum: ['extends', 'implements'] },
              typeName: string,
              base: { enum: ['canonical', 'legacy'] },
            },
          },
        ],
      },
    },
    fingerprint: string,
  },
};

const builtOnLegacy: JsonSchema = {
  type: 'object',
  required: ['conceptId', 'file', 'line', 'column', 'symbol', 'relation', 'base', 'legacyModule'],
  properties: {
    conceptId: string,
    file: string,
    line: integer,
    column: integer,
    symbol: string,
    relation: { enum: ['extends', 'wraps'] },
    base: string,
    legacyModule: string,
  },
};

const parseProblem: JsonSchema = {
  type: 'object',
  required: ['file', 'line', 'column', 'message'],
  properties: { file: string, line: integer, column: integer, message: string },
};

export const cacheEntrySchema: JsonSchema = {
  type: 'object',
  required: ['file'],
  properties: {
    file: string,
    hash: string,
    skipped: string,
    code: { type: 'object', additionalProperties: string },
    dependencyHashes: { type: 'object', additionalProperties: string },
    analysis: {
      type: 'object',
      required: ['file', 'parsed', 'sites', 'duplicates', 'parseErrors'],
      properties: {
        file: string,
        parsed: boolean,
        sites: { type: 'array', items: site },
        duplicates: { type: 'array', items: duplicate },
        builtOnLegacy: { type: 'array', items: builtOnLegacy },
        dependencies: { type: 'array', items: string },
        parseErrors: { type: 'array', items: parseProblem },
      },
    },
  },
};
