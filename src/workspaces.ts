// The packages of a monorepo, read from the root: npm and yarn `workspaces` in package.json (an array, or yarn's
// `{ packages: [...] }`) and pnpm's pnpm-workspace.yaml (`packages:`, `!` patterns exclude). Each package is a
// folder with a package.json; its pages are its own config file's `include` (relative to the package), else the
// default pages (README.md and docs/**). See docs/monorepos.md.
import fs from "node:fs";
import path from "node:path";
import { globSync } from "tinyglobby";
import type { UserConfig, WorkspacePackage } from "./config-types.js";
import { ConfigError } from "./errors.js";
import { escapeGlob, toPosix } from "./util/paths.js";
import { yamlParser } from "./util/yaml.js";

/** What a package's own config file may set when validate-docs runs at the repository root. */
export const PACKAGE_OPTIONS = ["include", "exclude", "tsconfig"] as const;

/** The workspace globs the root declares (empty when it is not a monorepo), each with where it was declared. */
export function workspaceGlobs(root: string): { patterns: string[]; source?: string } {
  const patterns: string[] = [];
  const sources: string[] = [];
  const manifest = path.join(root, "package.json");
  if (fs.existsSync(manifest)) {
    let pkg: { workspaces?: unknown };
    try {
      pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as { workspaces?: unknown };
    } catch (err) {
      throw new ConfigError(`${manifest}: ${(err as Error).message}`, "fix the JSON syntax of package.json");
    }
    const ws = pkg.workspaces;
    const list = Array.isArray(ws) ? ws : ws && typeof ws === "object" && Array.isArray((ws as { packages?: unknown }).packages) ? (ws as { packages: unknown[] }).packages : undefined;
    if (ws !== undefined && !list) throw new ConfigError(`${manifest}: \`workspaces\` must be an array of globs or { "packages": [...] }`, "fix package.json");
    if (list) {
      patterns.push(...list.filter((p): p is string => typeof p === "string"));
      sources.push("package.json `workspaces`");
    }
  }
  const pnpm = path.join(root, "pnpm-workspace.yaml");
  if (fs.existsSync(pnpm)) {
    let doc: unknown;
    try {
      doc = yamlParser().parse(fs.readFileSync(pnpm, "utf8"));
    } catch (err) {
      throw new ConfigError(`${pnpm}: ${(err as Error).message}`, "fix the YAML syntax of pnpm-workspace.yaml");
    }
    const list = doc && typeof doc === "object" ? (doc as { packages?: unknown }).packages : undefined;
    if (list !== undefined && !(Array.isArray(list) && list.every((p) => typeof p === "string"))) {
      throw new ConfigError(`${pnpm}: \`packages\` must be a list of globs`, "fix pnpm-workspace.yaml");
    }
    if (list) {
      patterns.push(...(list as string[]));
      sources.push("pnpm-workspace.yaml");
    }
  }
  return { patterns, ...(sources.length ? { source: sources.join(" and ") } : {}) };
}

/**
 * The workspace packages under `root` (folders matched by the workspace globs that hold a package.json, never the
 * root itself), with their pages. `loadConfig` reads a package's own config file (validated by the caller's rules).
 */
export async function workspacePackages(
  root: string,
  findConfig: (dir: string) => string | undefined,
  loadConfig: (file: string) => Promise<UserConfig>,
  defaultInclude: readonly string[],
): Promise<WorkspacePackage[]> {
  const { patterns } = workspaceGlobs(root);
  const positive = patterns.filter((p) => !p.startsWith("!")).map((p) => `${trimSlash(p)}/package.json`);
  if (positive.length === 0) return [];
  const negative = patterns.filter((p) => p.startsWith("!")).map((p) => `${trimSlash(p.slice(1))}/package.json`);
  const manifests = globSync(positive, { cwd: root, ignore: ["**/node_modules/**", ...negative], onlyFiles: true, followSymbolicLinks: false }).map(toPosix).sort();
  const out: WorkspacePackage[] = [];
  for (const manifest of manifests) {
    const dir = path.posix.dirname(manifest);
    if (dir === "." || dir === "") continue;
    const abs = path.join(root, dir);
    let name: string | undefined;
    try {
      const parsed = JSON.parse(fs.readFileSync(path.join(root, manifest), "utf8")) as { name?: unknown };
      if (typeof parsed.name === "string" && parsed.name) name = parsed.name;
    } catch {
      // A broken package.json is npm's error to report; the folder is still a package with pages.
    }
    const configFile = findConfig(abs);
    const own = configFile ? await loadConfig(configFile) : {};
    const unsupported = Object.keys(own).filter((k) => !k.startsWith("$") && !(PACKAGE_OPTIONS as readonly string[]).includes(k));
    if (unsupported.length) {
      throw new ConfigError(
        `${path.relative(root, configFile!)}: ${unsupported.map((k) => `\`${k}\``).join(", ")} cannot be set per package when validate-docs runs at the repository root (a package's config file may set ${PACKAGE_OPTIONS.join(", ")})`,
        "move the option to the root's config file, or run validate-docs inside the package folder, where the package's config file is the whole config",
      );
    }
    const scoped = (globs: readonly string[]) => globs.map((g) => `${escapeGlob(dir)}/${g}`);
    let tsconfig: string | undefined;
    if (own.tsconfig) {
      tsconfig = path.resolve(abs, own.tsconfig);
      if (!fs.existsSync(tsconfig)) throw new ConfigError(`tsconfig not found: ${own.tsconfig} (named by ${path.relative(root, configFile!)})`, "check the package's `tsconfig` option; it is relative to the package folder");
    }
    out.push({
      dir,
      ...(name ? { name } : {}),
      ...(configFile ? { configFile } : {}),
      ...(tsconfig ? { tsconfig } : {}),
      include: scoped(own.include ?? defaultInclude),
      exclude: scoped(own.exclude ?? []),
    });
  }
  return out;
}

function trimSlash(p: string): string {
  return p.replace(/^\.\//, "").replace(/\/+$/, "");
}
