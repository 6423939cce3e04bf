// The rewrite planner shared by `ssot migrate`, the jscodeshift transform and the ESLint autofix.
export {
  planFileRewrite,
  planSiteRewrite,
  applyEdits,
  type SiteRewrite,
  type FilePlan,
  type PlanOptions,
} from './plan.js';
export { verifyRewrite } from './verify.js';
export { specifierFor, specifierForFile } from './specifier.js';
export { listExports, defaultExportName, type ExportList } from './exports.js';
export { planLocalRename } from './rename.js';
export { mapSiteName } from './context.js';
