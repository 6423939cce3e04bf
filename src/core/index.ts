// The analysis core: config, module resolution, import inventory, duplicate detection and the
// legacy-to-canonical mapping. ESLint rules, codemods and the report are adapters over it.
export * from './types.js';
export * from './config/types.js';
export {
  loadConfig,
  resolveConfig,
  findConfigFile,
  readConfigFile,
  ConfigError,
  CONFIG_FILE_NAMES,
  DEFAULT_INCLUDE,
} from './config/load.js';
export { configSchema } from './config/schema.js';
export {
  PRESETS,
  MESSAGE_ROUTER_COMPAT_REPLACEMENTS,
  MESSAGE_ROUTER_MEMBERS,
  type ConceptPreset,
} from './config/presets.js';
export { ModuleResolver } from './resolve.js';
export { parseFile, scriptKindFor, syntaxErrors } from './parse.js';
export { collectImportSites, MOCK_CALLEES } from './inventory.js';
export { SiteClassifier } from './classify.js';
export { toPosix } from '../shared/paths.js';
export {
  detectDuplicates,
  describeSignal,
  compileNamePatterns,
  collectDeclarations,
  DUPLICATE_RULE_ID,
} from './detect.js';
export { findRegistries, type Registry, type Dispatch } from './registry.js';
export { readCanonicalShape, exportedImplementations, type CanonicalShape } from './canonical-shape.js';
export { SymbolResolver, type DeclarationRef } from './symbols.js';
export { fingerprint, normaliseCode } from './fingerprint.js';
export {
  mapLegacyName,
  migrationTarget,
  siteMigrationTarget,
  canonicalReplacement,
  usesConcept,
  siteNameUse,
  noCounterpartReason,
  type MappedName,
  type NameUse,
} from './mapping.js';
export { findLegacyInstance } from './legacy-instance.js';
export { RULES, RULE_IDS, FORMER_RULE_IDS, legacySiteRule, fingerprintRuleName, type RuleId } from './findings.js';
export { compileUserRegex, parseRegexLiteral, type UserRegex } from './user-regex.js';
export { walkAst } from './walk.js';
export { createPrefilter, type Prefilter } from './prefilter.js';
export { compileSpecifierPattern, describePattern, patternNeedles } from './pattern.js';
export { analyzeFile, createAnalysisContext, relativeToRoot, type AnalysisContext } from './analyze.js';
export { listFiles, type FileListing } from './files.js';
export { analyzeProject, type ProjectAnalysis, type SkippedFile, type AnalyzeProjectOptions } from './project.js';
