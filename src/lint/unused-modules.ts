// A rule that names packages (`modules` of a rule such as no-init-instrumentors, `module` of a ban in
// `bannedApis` or no-banned-api's `bans`) can only fire on blocks that import those packages. An entry no
// checked block imports is reported as a warning naming the entry, so a misspelt or wrongly named package (or a
// linked SDK named differently from its package.json) never looks like a rule that ran and passed.
import fs from "node:fs";
import path from "node:path";
import type { BannedApi, RuleSetting } from "../config-types.js";
import ts from "../typescript.cjs";
import type { CodeBlock, Finding } from "../types.js";
import { packageOfSpecifier } from "../util/package-of.js";
import { BANNED_API_RULE } from "./config.js";
import { normalizeModule } from "./ast.js";

export const UNUSED_MODULE_RULE = "lint/module-never-imported";

interface Entry {
  /** Where the entry sits in the config: `rules["no-init-instrumentors"].modules[0]`, `bannedApis[1].module`. */
  where: string;
  ruleId: string;
  module: string;
  /** A ban of a whole import path (no `export`): not judged, since its success is that nothing imports it. */
  exactPath: boolean;
}

/**
 * Warnings for package entries of enabled rules that no block in `blocks` imports (import, export … from,
 * require, dynamic import, `/// <reference types>`). Relative paths and bans of a whole import path (which
 * succeed exactly when nothing imports it) are not judged.
 */
export function neverImportedModules(
  blocks: readonly CodeBlock[],
  config: { rules: Readonly<Record<string, RuleSetting>>; bannedApis: readonly BannedApi[]; root: string; configFile?: string },
  enabled: ReadonlySet<string>,
): Finding[] {
  const entries = configEntries(config, enabled);
  if (entries.length === 0 || blocks.length === 0) return [];
  const packages = new Set<string>();
  for (const block of blocks) {
    const info = ts.preProcessFile(block.code, true, true);
    for (const ref of [...info.importedFiles, ...info.typeReferenceDirectives]) {
      const spec = normalizeModule(ref.fileName);
      const pkg = packageOfSpecifier(spec);
      if (pkg) packages.add(pkg);
    }
  }
  const configText = readText(config.configFile);
  const page = config.configFile ? path.relative(config.root, config.configFile).split(path.sep).join("/") : "validate-docs.config";
  const out: Finding[] = [];
  for (const e of entries) {
    const wanted = normalizeModule(e.module);
    // A path is not judged; nor is a ban of a whole import path: no block importing it is what the ban is for.
    if (packageOfSpecifier(wanted) === undefined || e.exactPath) continue;
    if (packages.has(wanted)) continue;
    const line = lineOf(configText, e.module);
    const at = { line, column: 1, offset: 0 };
    out.push({
      stage: "lint",
      ruleId: UNUSED_MODULE_RULE,
      severity: "warning",
      message:
        `${e.where} names "${e.module}", which no checked block imports, so ${e.ruleId} cannot fire for it in this run: ` +
        `a rule that can never fire is not a passing rule.`,
      hint:
        `Packages are named by the \`name\` in their package.json (also for \`file:\` and workspace links). Fix the ` +
        `entry's spelling, or remove it if the docs no longer use "${e.module}".`,
      page,
      place: { start: at, end: at },
    });
  }
  return out;
}

function configEntries(
  config: { rules: Readonly<Record<string, RuleSetting>>; bannedApis: readonly BannedApi[] },
  enabled: ReadonlySet<string>,
): Entry[] {
  const out: Entry[] = [];
  for (const [id, setting] of Object.entries(config.rules)) {
    if (!enabled.has(id) || !Array.isArray(setting)) continue;
    const options = setting[1] ?? {};
    const modules = (options as { modules?: unknown }).modules;
    if (Array.isArray(modules)) {
      modules.forEach((m, i) => {
        if (typeof m === "string") out.push({ where: `rules["${id}"].modules[${i}]`, ruleId: id, module: m, exactPath: false });
      });
    }
    const bans = (options as { bans?: unknown }).bans;
    if (id === BANNED_API_RULE && Array.isArray(bans)) {
      bans.forEach((b, i) => {
        const ban = b as Partial<BannedApi>;
        if (typeof ban?.module === "string") out.push({ where: `rules["${id}"].bans[${i}].module`, ruleId: id, module: ban.module, exactPath: ban.export === undefined && ban.property === undefined });
      });
    }
  }
  if (enabled.has(BANNED_API_RULE)) {
    config.bannedApis.forEach((ban, i) => {
      out.push({ where: `bannedApis[${i}].module`, ruleId: BANNED_API_RULE, module: ban.module, exactPath: ban.export === undefined && ban.property === undefined });
    });
  }
  return out;
}

function readText(file: string | undefined): string {
  if (!file) return "";
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** The 1-based line of the entry's first quoted occurrence in the config file (1 when not found). */
function lineOf(text: string, module: string): number {
  for (const q of ['"', "'", "`"]) {
    const at = text.indexOf(`${q}${module}${q}`);
    if (at >= 0) return text.slice(0, at).split("\n").length;
  }
  return 1;
}
