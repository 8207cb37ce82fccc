// `--changed <ref>`: which pages a change can break. A page is checked again when it changed itself, when its blocks
// import local code (a relative path, the package's own name or one of its exports, a tsconfig `paths` alias) and
// any of the project's code changed, and every page is checked when what every block depends on changed: the
// validate-docs config, a tsconfig, package.json or a lockfile. Documented in docs/configuration.md ("--changed").
import fs from "node:fs";
import path from "node:path";
import ts from "./typescript.cjs";
import type { CodeBlock } from "./types.js";

const LOCKFILES = new Set(["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock"]);
const CODE = /\.(?:[cm]?[jt]sx?|json)$/;

/** The changed file (posix, relative to the root) that makes every page depend on the change, if any. */
export function changesEverything(changed: ReadonlySet<string>, opts: { configFile?: string; tsconfig?: string }): string | undefined {
  for (const file of changed) {
    const base = path.posix.basename(file);
    if (file === opts.configFile || file === opts.tsconfig) return file;
    if (/^tsconfig(\..+)?\.json$/.test(base) || base === "jsconfig.json") return file;
    if (base === "package.json" && !file.includes("node_modules/")) return file;
    if (LOCKFILES.has(base)) return file;
  }
  return undefined;
}

/** Changed files that are the project's code (not pages, not dependencies). */
export function changedCode(changed: ReadonlySet<string>): string[] {
  return [...changed].filter((f) => CODE.test(f) && !f.split("/").includes("node_modules"));
}

export interface LocalImports {
  /** The package's own name (self-reference through `exports`). */
  packageName?: string;
  /** tsconfig `paths` patterns (`@/*`, `~lib`). */
  aliases: string[];
}

/** What counts as local code for the project at `root`. */
export function localImports(root: string, compilerOptions: ts.CompilerOptions): LocalImports {
  let packageName: string | undefined;
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { name?: unknown };
    if (typeof pkg.name === "string" && pkg.name) packageName = pkg.name;
  } catch {
    /* no package.json: no self-reference */
  }
  return { packageName, aliases: Object.keys(compilerOptions.paths ?? {}) };
}

/** Whether any block imports local code (static, dynamic, `require`, `import x = require`). */
export function importsLocalCode(blocks: readonly CodeBlock[], local: LocalImports): boolean {
  return blocks.some((b) => ts.preProcessFile(b.code, true, true).importedFiles.some((f) => isLocal(f.fileName, local)));
}

function isLocal(specifier: string, local: LocalImports): boolean {
  if (specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === ".." || specifier.startsWith("/")) return true;
  if (local.packageName && (specifier === local.packageName || specifier.startsWith(`${local.packageName}/`))) return true;
  return local.aliases.some((alias) => {
    const star = alias.indexOf("*");
    return star === -1 ? specifier === alias : specifier.startsWith(alias.slice(0, star)) && specifier.endsWith(alias.slice(star + 1));
  });
}
