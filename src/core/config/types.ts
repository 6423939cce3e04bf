/** The user's config file as written (ssot.config.json / .mjs / package.json "ssot"). */
export interface SsotConfigInput {
  $schema?: string;
  /** Globs relative to the project root. Default: every JS/TS source file. */
  include?: string[];
  exclude?: string[];
  /** Path of the tsconfig used for module resolution (default: nearest tsconfig.json per file). */
  tsconfig?: string;
  concepts: ConceptInput[];
}

export interface ConceptInput {
  id: string;
  /** A built-in preset that supplies canonical module, compat layer and detection patterns. */
  preset?: string;
  description?: string;
  canonical?: {
    /** Specifier or repo path of the canonical module (the single source of truth). */
    module?: string;
    /** Globs of the files that implement the concept and may define it. */
    files?: string[];
    /** Export names of the canonical implementation; a second declaration of one is a duplicate. */
    names?: string[];
  };
  /**
   * Optional compatibility module: legacy imports are first moved to it under the same names
   * (stage 1); each compat name has a canonical replacement (stage 2).
   */
  compat?: {
    module: string;
    /** compat export name -> canonical export name. */
    replacements?: Record<string, string>;
  };
  legacy?: LegacyModuleInput[];
  detect?: {
    /** Names of the concept (exact or `/regex/flags`): context in a finding, never evidence alone. */
    names?: string[];
    /** Characteristic member names of the concept: context in a finding, never evidence alone. */
    members?: string[];
    /** How many of `members` a finding must share for the shape to be mentioned. */
    minMembers?: number;
    /** Base types of the concept: a subclass of one is built on it, not a duplicate. */
    heritage?: string[];
    /**
     * What owning the concept's state and behaviour looks like: storage the declaration fills
     * and a dispatch over it. Default: derived from the canonical implementation's own.
     */
    registries?: RegistryProfile[];
    /** Share of code (0-1) a declaration must have in common with the canonical or a legacy body to be a copy. Default 0.8. */
    similarity?: number;
  };
  /** Globs of files allowed to define the concept (besides canonical.files). */
  allow?: string[];
}

/** A kind of registry that belongs to the concept (see src/core/registry.ts). */
export interface RegistryProfile {
  /** `each`: every stored handler is called; `one`: the one stored under a key; `first`: each in turn until one answers. */
  call: 'each' | 'one' | 'first';
  /** Only registries that store per key (`true`) or not (`false`); absent: either. */
  keyed?: boolean;
  /** The items are objects and this method is called on each (`send`); absent: the items are the functions. */
  method?: string;
}

export interface LegacyModuleInput {
  /**
   * A repo path (file or folder, relative to the root) or a package specifier. A package means its
   * root entry only; `"<package>/*"` stands for its subpaths, each of which moves to the same subpath
   * of the migration target. Required unless `pattern` is set.
   */
  module?: string;
  /**
   * Match import specifiers by their text instead of by resolution, as ESLint's
   * `no-restricted-imports` does: `exact` specifiers, gitignore-style `group` patterns, or a `regex`.
   */
  pattern?: LegacyPatternInput;
  /** legacy export name -> canonical (or compat) export name; "*" maps every other name to itself. */
  names?: Record<string, string>;
  /** Only sites that use one of these names (or the whole module: `*`, `export *`) are legacy sites. */
  importNames?: string[];
  /** Type-only sites (every name type-only) are not legacy sites. */
  allowTypeImports?: boolean;
  /** A note shown with every finding for this module (e.g. the team's migration guide). */
  message?: string;
}

export interface LegacyPatternInput {
  /** Specifiers matched exactly (`no-restricted-imports` `paths[].name`). */
  exact?: string[];
  /** gitignore-style patterns (`no-restricted-imports` `patterns[].group`); `!` negates. */
  group?: string[];
  /** A regular expression source (`no-restricted-imports` `patterns[].regex`). */
  regex?: string;
  /** Default false, as in no-restricted-imports. */
  caseSensitive?: boolean;
}

/** A concept after presets and defaults are applied; paths are absolute. */
export interface ResolvedConcept {
  id: string;
  preset?: string;
  description?: string;
  canonical: {
    module: string;
    /** Absolute path when `module` is a repo path; undefined for a package specifier. */
    path?: string;
    files: string[];
    names: string[];
  };
  compat?: {
    module: string;
    path?: string;
    replacements: Record<string, string>;
  };
  legacy: ResolvedLegacyModule[];
  detect: {
    names: string[];
    members: string[];
    minMembers: number;
    heritage: string[];
    /** Undefined: derived from the canonical implementation when the analysis starts. */
    registries?: RegistryProfile[];
    similarity: number;
  };
  allow: string[];
}

export interface ResolvedLegacyModule {
  /** As written in the config (for a `pattern`: a display form of the pattern). */
  module: string;
  /**
   * 'path' when it names a repo file/folder, 'package' for a bare specifier. A module given as a
   * `pattern` has kind 'package' too (matched by specifier text, no path) and `pattern` set.
   */
  kind: 'path' | 'package';
  /** Absolute path for kind 'path' (may not exist: a deleted module whose importers remain). */
  path?: string;
  /** True when kind 'path' and the path names a folder (or would, as a deleted folder). */
  isDirectory?: boolean;
  /** False when a 'path' module no longer exists on disk. */
  exists: boolean;
  /**
   * Set for a package subpath entry (`"@scope/utils/*"`): the package (`@scope/utils`). The entry
   * matches `@scope/utils/<subpath>`, never the package's root entry, and each site moves to the
   * same subpath of the migration target.
   */
  subpathsOf?: string;
  /** The concept's names on this module -> their names in the migration target ("*": every other name). */
  names: Record<string, string>;
  /** Set when the module is matched by specifier text (`no-restricted-imports` style) instead of by resolution. */
  pattern?: LegacyPatternInput;
  importNames?: string[];
  allowTypeImports?: boolean;
  message?: string;
}

export interface ResolvedConfig {
  /** Absolute path of the config file, or undefined when options were given inline. */
  configPath?: string;
  /** Project root: the folder of the config file. */
  rootDir: string;
  include: string[];
  exclude: string[];
  tsconfig?: string;
  concepts: ResolvedConcept[];
}
