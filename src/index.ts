// Public API. Everything a user imports from "validate-docs" is re-exported here and nothing else.
export { check, checkPages, VERSION, type CheckOptions, type CheckRun } from "./pipeline.js";
export { defineConfig, resolveConfig } from "./config.js";
export type { BannedApi, ResolvedConfig, RuleLevel, RuleSetting, TemplateSet, UserConfig } from "./config-types.js";
export { defineRule } from "./lint/index.js";
export type { Rule, RuleContext, RuleMeta, Visitors, ReportDescriptor } from "./lint/index.js";
export { reporters } from "./report/index.js";
export type * from "./types.js";
export { ConfigError, UsageError } from "./errors.js";
