/**
 * Types shared by the analysis core and its adapters (ESLint rules, codemods, report).
 * Data flows one way: config -> files -> parse -> findings -> report model -> formatter.
 */

/** Every form in which a file can refer to a module. */
export type ImportForm =
  | 'import' // import x from / import { a } from / import * as ns from
  | 'import-type' // import type { A } from (whole declaration type-only)
  | 'side-effect' // import 'x'
  | 'export-from' // export { a } from 'x' / export type { A } from 'x'
  | 'export-all' // export * from 'x'
  | 'export-all-as' // export * as ns from 'x'
  | 'import-equals' // import x = require('x')
  | 'require' // require('x')
  | 'dynamic-import' // import('x')
  | 'import-type-query' // type T = import('x').T
  | 'mock'; // jest.mock('x') / vi.mock('x') / vi.importActual('x') / ...

export const IMPORT_FORMS: readonly ImportForm[] = [
  'import',
  'import-type',
  'side-effect',
  'export-from',
  'export-all',
  'export-all-as',
  'import-equals',
  'require',
  'dynamic-import',
  'import-type-query',
  'mock',
];

/** One name bound or re-exported by an import site. */
export interface ImportedName {
  /** The exported name on the module side: 'default', '*' for namespace, or the export name. */
  imported: string;
  /** The local binding (or, for `export { a as b } from`, the exported alias). */
  local: string;
  /** True when this name is type-only (whole declaration or inline `type`). */
  isTypeOnly: boolean;
  /** Offsets of the specifier element (e.g. `a as b`) in the file text. */
  start: number;
  end: number;
}

/** A syntactic reference to a module: what the import inventory yields, before resolution. */
export interface ImportSite {
  form: ImportForm;
  /** The module specifier text, unquoted. */
  specifier: string;
  /** 1-based line and column of the specifier string literal. */
  line: number;
  column: number;
  /** Offsets of the string literal including its quotes. */
  specifierStart: number;
  specifierEnd: number;
  /** Offsets of the whole statement or expression that holds the reference. */
  nodeStart: number;
  nodeEnd: number;
  /** The quote character used in the file for this specifier. */
  quote: "'" | '"' | '`';
  /** True when the whole declaration is type-only (`import type`, `export type`). */
  typeOnly: boolean;
  /** Names bound or re-exported; empty for side-effect, export *, require, dynamic import, mock. */
  names: ImportedName[];
  /** For `require`/`import x = require`/dynamic import/mock: the callee text (e.g. `vi.mock`). */
  callee?: string;
  /**
   * The name of the ambient `declare module '...'` block the site is in (in a file that is no
   * module; a module's such block is an augmentation): inside the canonical module's own
   * declaration, an import of a legacy module is the canonical module re-exporting it, not a site
   * to move there.
   */
  ambientModule?: string;
}

/** How a specifier resolved for the file that wrote it. */
export type Resolution =
  | { kind: 'file'; path: string; isExternalLibrary: boolean; packageName?: string }
  | { kind: 'builtin'; name: string }
  | { kind: 'unresolved' }
  /** Not resolved: its text spells no configured module, so it cannot name one (see Prefilter). */
  | { kind: 'not-resolved' };

/** What an import site refers to, as far as the configured concepts go. */
export type SiteTarget =
  | {
      kind: 'legacy';
      conceptId: string;
      legacyIndex: number;
      legacyModule: string;
      /** The module resolves nowhere: it was deleted while importers remain (a break). */
      missing: boolean;
      /**
       * The importing file is itself one of the concept's legacy modules (the implementation
       * being retired, not a consumer), or the canonical/compat module re-exporting the legacy
       * module during the transition (`transition`). Adapters leave such sites alone.
       */
      internal: boolean;
      /**
       * The importing file is the canonical module (or a canonical file) or the compat layer:
       * the usual first step of a consolidation, where the new module re-exports the old one.
       * Not a violation and nothing to migrate, but the legacy module cannot go while it holds.
       */
      transition: boolean;
      /** The site uses the concept (usesConcept): a concept name, or the module as a whole. */
      concept: boolean;
      /** Per entry of the site's `names`: its export name in the migration target (mapLegacyName), or null. */
      mapsTo: (string | null)[];
      /**
       * Per entry of the site's `names`: set when the name is an exported instance of one of the
       * concept's legacy classes (siteNameUse): a use of the concept that has no counterpart in
       * the migration target, to migrate by hand.
       */
      instances: (LegacyInstance | null)[];
    }
  | { kind: 'canonical'; conceptId: string; compat: boolean }
  | { kind: 'other' };

/**
 * An exported value of a legacy module that is an instance of one of the concept's legacy classes
 * (`export const messageRouter = new MessageRouter()`; see legacy-instance.ts).
 */
export interface LegacyInstance {
  /** The legacy class, by its concept name. */
  className: string;
  /** How the declaration says so: it constructs the class (`new C()`) or declares its type (`: C`). */
  evidence: 'new' | 'type';
  /** Where the value is declared: absolute path and 1-based line. */
  file: string;
  line: number;
}

export interface ClassifiedSite extends ImportSite {
  file: string;
  resolution: Resolution;
  target: SiteTarget;
}

/**
 * Evidence about a duplicate. Three kinds decide that a declaration is a second implementation
 * (`owns`, `copy`, `canonical-name`); the others only add context to a finding one of those made
 * (a name or members alone prove nothing: a data table has the member names as keys, a wrapper
 * has the concept's name).
 */
export type DuplicateSignal =
  | {
      kind: 'owns';
      /** The storage: its name and declared type (or initializer) as written. */
      storage: string;
      storageType: string;
      /** Stored per key (a map of handler lists). */
      keyed: boolean;
      /** Members that add to it. */
      registers: string[];
      /** The member that invokes what it holds, and how. */
      dispatch: string;
      call: 'each' | 'one' | 'first';
      /** Set when a method of each stored item is called (`send`). */
      method?: string;
      /** Set when the stored item keeps the function in a property (`listener.callback`). */
      via?: string;
    }
  | { kind: 'copy'; of: string; symbol: string; similarity: number }
  | { kind: 'canonical-name'; name: string }
  | { kind: 'name'; pattern: string }
  | { kind: 'shape'; matched: string[]; total: number; required: number }
  | {
      kind: 'heritage';
      clause: 'extends' | 'implements';
      typeName: string;
      /** What the base resolved to, when it is the concept's. */
      base?: 'canonical' | 'legacy';
    };

/** The signal kinds that decide a finding on their own. */
export const DECISIVE_SIGNALS: ReadonlySet<DuplicateSignal['kind']> = new Set(['owns', 'copy', 'canonical-name']);

/**
 * A declaration built on a legacy implementation (a subclass, or a wrapper holding an instance):
 * not a duplicate and never a violation, but it goes when the legacy module goes.
 */
export interface BuiltOnLegacy {
  conceptId: string;
  file: string;
  line: number;
  column: number;
  symbol: string;
  relation: 'extends' | 'wraps';
  /** The legacy implementation it is built on, and the legacy module that declares it. */
  base: string;
  legacyModule: string;
}

export type DeclarationKind = 'class' | 'function' | 'const-function' | 'const-object';

export interface DuplicateFinding {
  conceptId: string;
  file: string;
  line: number;
  column: number;
  /** Offsets of the declaration name (or the declaration when anonymous). */
  start: number;
  end: number;
  symbol: string;
  declarationKind: DeclarationKind;
  signals: DuplicateSignal[];
  fingerprint: string;
}

export interface ParseProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** Everything the core knows about one file. */
export interface FileAnalysis {
  file: string;
  /** True when the file was parsed; false when the text prefilter proved it has nothing to find. */
  parsed: boolean;
  sites: ClassifiedSite[];
  duplicates: DuplicateFinding[];
  /** Subclasses and wrappers of legacy implementations (listed apart, never counted). */
  builtOnLegacy?: BuiltOnLegacy[];
  /**
   * Other files this analysis read (modules a base class or an item type was followed through):
   * a cached analysis is stale when one of them changed. The canonical and legacy bodies are
   * inputs of every analysis and not listed (see DetectionContext.referenceFiles).
   */
  dependencies?: string[];
  parseErrors: ParseProblem[];
}

/** A text replacement in one file, by offsets into the original text. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}
