// The lint stage: blocks + the shared program → findings. Rules come from the built-in registry and plugins.
import type { BannedApi, RuleSetting } from "../config-types.js";
import { ConfigError } from "../errors.js";
import { fencePlace } from "../extract/position.js";
import type { BlockProgram } from "../typecheck/program-types.js";
import type { CodeBlock, Finding, StageOutcome } from "../types.js";
import { builtinRules } from "../../rules/index.js";
import { closest, resolveRules, type EnabledRule } from "./config.js";
import { lintBlock } from "./engine.js";
import { toRule } from "./plugins.js";
import { deepFreeze } from "./schema.js";
import type { AnyRule } from "./types.js";

export interface LintConfig {
  rules: Readonly<Record<string, RuleSetting>>;
  /** Rules or rule modules, already loaded (see loadPlugins for paths). */
  plugins: Readonly<Record<string, unknown>>;
  bannedApis: readonly BannedApi[];
}

/** Built-in rules plus plugins; a plugin may not shadow a built-in. */
export function ruleRegistry(plugins: Readonly<Record<string, unknown>> = {}): Map<string, AnyRule> {
  const registry = new Map<string, AnyRule>(Object.entries(builtinRules));
  for (const [id, value] of Object.entries(plugins)) {
    if (registry.has(id)) {
      throw new ConfigError(`plugins.${id}: "${id}" is a built-in rule; give the custom rule another id`);
    }
    registry.set(id, toRule(id, value));
  }
  return registry;
}

/** Throws ConfigError for an unknown rule, a bad level or bad options, before anything runs. */
export function validateRules(config: LintConfig): void {
  resolveRules(ruleRegistry(config.plugins), config.rules, config.bannedApis);
}

/** Runs every enabled rule over every block in the program. Throws ConfigError for bad rule config. */
export function lint(bp: BlockProgram, blocks: readonly CodeBlock[], config: LintConfig): StageOutcome {
  const registry = ruleRegistry(config.plugins);
  const enabled = resolveRules(registry, config.rules, config.bannedApis);
  const findings: Finding[] = [];
  const checked = new Set<string>();
  for (const block of blocks) {
    if (!bp.sourceFileOf(block)) continue;
    const { rules, notes } = rulesForBlock(block, registry, enabled);
    const found = lintBlock(bp, block, rules);
    findings.push(...notes, ...found);
    checked.add(block.id);
  }
  return { findings, checked };
}

/** Applies the block's `disable` comments; rules the block expects to fire run even when off in config. */
function rulesForBlock(
  block: CodeBlock,
  registry: ReadonlyMap<string, AnyRule>,
  enabled: ReadonlyMap<string, EnabledRule>,
): { rules: Map<string, EnabledRule>; notes: Finding[] } {
  const rules = new Map(enabled);
  const notes: Finding[] = [];
  for (const id of block.attrs.expectFinding ?? []) {
    const rule = registry.get(id);
    if (rule && !rules.has(id)) rules.set(id, { rule, severity: rule.meta.severity, options: deepFreeze({}) });
  }
  for (const { rules: ids } of block.attrs.disable ?? []) {
    for (const id of ids) {
      if (rules.delete(id) || registry.has(id) || !looksLikeLintRule(id)) continue;
      const near = closest(id, [...registry.keys()]);
      notes.push({
        stage: "lint",
        ruleId: "lint/unknown-rule",
        severity: "warning",
        message:
          `The disable comment names "${id}", which is not a known rule, so it disables nothing` +
          `${near ? `; did you mean "${near}"?` : "."}`,
        page: block.page,
        blockId: block.id,
        place: fencePlace(block),
      });
    }
  }
  return { rules, notes };
}

/** Type-check codes (ts2353) and stage findings (run/threw) are disabled by the pipeline (src/disable.ts). */
function looksLikeLintRule(id: string): boolean {
  return !/^ts\d+$/i.test(id) && !id.includes("/");
}

export { applyFixes, type FixResult } from "./fix.js";
export { loadPlugins } from "./plugins.js";
export { defineRule } from "./types.js";
export type { AnyRule, OptionSchema, ReportDescriptor, Rule, RuleContext, RuleFix, RuleMeta, Visitors } from "./types.js";
