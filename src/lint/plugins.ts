// Loads user rule modules named in `plugins`: a path (relative to the root; .ts is bundled by util/import-module.ts),
// an imported module, `{ default: rule }`, or a promise of either (`import("./my-rule.ts")` in a config).
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ConfigError } from "../errors.js";
import { importModule } from "../util/import-module.js";
import { ownFile } from "../util/own-files.js";
import type { AnyRule } from "./types.js";

/** Resolves every plugin to a rule; the config key is the rule id. */
export async function loadPlugins(
  plugins: Readonly<Record<string, unknown>>,
  root: string,
): Promise<Record<string, AnyRule>> {
  const out: Record<string, AnyRule> = {};
  for (const [id, ref] of Object.entries(plugins)) {
    const value = await ref;
    const loaded = typeof value === "string" ? await importRuleFile(id, path.resolve(root, value)) : value;
    out[id] = toRule(id, loaded);
  }
  return out;
}

/** Accepts a rule, a module whose default export is a rule, or throws a ConfigError saying what was found. */
export function toRule(id: string, value: unknown): AnyRule {
  const candidate = isRecord(value) && !isRuleLike(value) && "default" in value ? value.default : value;
  if (typeof candidate === "string") {
    throw new ConfigError(`plugins.${id}: "${candidate}" is a path; load it with loadPlugins() before linting`);
  }
  if (!isRuleLike(candidate)) {
    throw new ConfigError(
      `plugins.${id}: expected a rule ({ id, meta: { description, severity, messages }, create }) ` +
        `or a module whose default export is one`,
      "Write the rule with defineRule() from validate-docs; see docs/custom-rules.md.",
    );
  }
  if (typeof candidate.id === "string" && candidate.id !== id) {
    throw new ConfigError(
      `plugins.${id}: the module defines rule "${candidate.id}"; register it under the same id`,
      `plugins: { "${candidate.id}": … } and rules: { "${candidate.id}": "error" }`,
    );
  }
  return { ...candidate, id } as unknown as AnyRule;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isRuleLike(value: unknown): value is { id?: unknown; meta: Record<string, unknown>; create: unknown } {
  if (!isRecord(value) || typeof value.create !== "function" || !isRecord(value.meta)) return false;
  const { description, messages, severity } = value.meta;
  return (
    typeof description === "string" &&
    isRecord(messages) &&
    (severity === undefined || severity === "error" || severity === "warning")
  );
}

async function importRuleFile(id: string, file: string): Promise<unknown> {
  if (!fs.existsSync(file)) {
    throw new ConfigError(`plugins.${id}: rule module not found: ${file}`);
  }
  try {
    // TypeScript is bundled first (util/import-module.ts), with this copy of validate-docs and of the compiler.
    return await importModule(file, { plugins: [selfReference()] });
  } catch (error) {
    throw new ConfigError(`plugins.${id}: could not load ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * `import { defineRule } from "validate-docs"` in a rule must reach this very copy of validate-docs (the user's
 * project may not depend on it, e.g. when run with npx), and `import ts from "typescript"` must reach the compiler
 * that built the program: SyntaxKind numbers differ between TypeScript versions, so a rule using the project's own
 * copy would misread our nodes. The specifier maps to the lint entry (defineRule, the tester's types), not the
 * whole package, so loading a rule never loads the pipeline; `validate-docs/ast` maps to the type-aware helpers.
 */
function selfReference(): import("esbuild").Plugin {
  // This module's extension tells compiled (.js: dist/src, or the bundle) from sources (.ts).
  const ext = path.extname(fileURLToPath(import.meta.url));
  const entry = ownFile(`lint/index${ext}`);
  const ast = ownFile(`lint/ast${ext}`);
  // The compiled build maps it to our require-loading shim (src/typescript.cts: no ESM lexing of the compiler).
  const typescript =
    ext === ".js"
      ? ownFile("typescript.cjs")
      : createRequire(import.meta.url).resolve("typescript");
  return {
    name: "validate-docs-self",
    setup(build) {
      build.onResolve({ filter: /^validate-docs$/ }, () => ({ path: pathToFileURL(entry).href, external: true }));
      build.onResolve({ filter: /^validate-docs\/ast$/ }, () => ({ path: pathToFileURL(ast).href, external: true }));
      build.onResolve({ filter: /^typescript$/ }, () => ({ path: pathToFileURL(typescript).href, external: true }));
    },
  };
}
