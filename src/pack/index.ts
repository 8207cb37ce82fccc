// `--pack`: the consumer's view. Inside the repository a documented package resolves through workspace links,
// `paths` aliases and whatever its folder holds; a user gets only what `npm pack` puts in the tarball, resolved
// through its package.json `exports`. So the packages the docs import that live in the repository (workspace,
// `file:` or linked) are packed, installed with the docs' other imports into a clean temporary project, and the
// pages that import them are checked and run there (the same pipeline, the same pages). A block that passes in the
// repository but fails there gets a `pack/…` finding that says what differs. See docs/monorepos.md.
import { execFile } from "node:child_process";
import fs from "node:fs";
import { isBuiltin } from "node:module";
import os from "node:os";
import path from "node:path";
import type { ResolvedConfig } from "../config-types.js";
import { UsageError } from "../errors.js";
import { toPagePlace } from "../extract/position.js";
import { trackDir, untrackDir } from "../run/cleanup.js";
import ts from "../typescript.cjs";
import type { CodeBlock, Finding, Page, PageResult } from "../types.js";
import { packageOfSpecifier } from "../util/package-of.js";
import { toPosix } from "../util/paths.js";

/** A package of the repository that the docs import, as it is in the repository. */
interface LocalPackage {
  name: string;
  /** Its folder (real path). */
  dir: string;
}

export interface PackInput {
  config: ResolvedConfig;
  pages: readonly Page[];
  blocksOf(page: string): readonly CodeBlock[];
  /** Blocks checked in the repository (not skipped, programs). */
  isActive(block: CodeBlock): boolean;
  /** The repository's findings so far (a block that already fails there is not judged again). */
  findings: readonly Finding[];
  /** The tsconfig a page is checked with in the repository. */
  tsconfigOf(page: string): string | undefined;
  /** The compiler options a block is checked with in the repository (to say where an import resolves there). */
  compilerOptionsOf(block: CodeBlock): ts.CompilerOptions;
  /** The pipeline, for the consumer project's pages. */
  checkPages(pages: Page[], config: ResolvedConfig): Promise<{ pages: PageResult[] }>;
}

interface Import {
  specifier: string;
  pkg: string;
  pos: number;
  end: number;
}

/** Bare imports of a block (import, export … from, require, import(), `/// <reference types>`), with where they are. */
function importsOf(block: CodeBlock): Import[] {
  const info = ts.preProcessFile(block.code, true, true);
  const out: Import[] = [];
  for (const ref of [...info.importedFiles, ...info.typeReferenceDirectives]) {
    const pkg = packageOfSpecifier(ref.fileName);
    if (!pkg || isBuiltin(ref.fileName)) continue;
    out.push({ specifier: ref.fileName, pkg, pos: ref.pos, end: ref.end });
  }
  return out;
}

/** The installed folder of package `name` seen from `from` (node_modules upward), if any. */
function installedDir(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function isInsideNodeModules(file: string): boolean {
  return file.split(path.sep).includes("node_modules");
}

interface Manifest {
  name?: unknown;
  version?: unknown;
  type?: unknown;
  exports?: unknown;
  main?: unknown;
  types?: unknown;
  typings?: unknown;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function readManifest(dir: string): Manifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Manifest;
  } catch {
    return undefined;
  }
}

/**
 * A package the docs import that lives in the repository: a workspace package by name, or one whose installed
 * folder is a link out of node_modules (`file:` and workspace dependencies, `npm link`).
 */
function localPackage(name: string, from: string, config: ResolvedConfig): LocalPackage | undefined {
  const workspace = config.packages?.find((p) => p.name === name);
  if (workspace) return { name, dir: fs.realpathSync(path.join(config.root, workspace.dir)) };
  const installed = installedDir(name, from);
  if (!installed) return undefined;
  const real = fs.realpathSync(installed);
  return isInsideNodeModules(real) ? undefined : { name, dir: real };
}

/** Runs npm without blocking the main thread (a signal is answered while it packs or installs). */
function run(cmd: string, args: string[], cwd: string): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: "false" } }, (err, stdout, stderr) => {
      resolve({ ok: !err, stdout: stdout ?? "", stderr: (stderr ?? "") + (err && !stderr ? String(err) : "") });
    });
  });
}

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** Runs the consumer check and returns the `pack/…` findings (on the repository's pages). */
export async function packCheck(input: PackInput): Promise<Finding[]> {
  const { config } = input;
  // The documented local packages, and the blocks that import them.
  const local = new Map<string, LocalPackage>();
  const others = new Map<string, string>();
  const judged = new Map<CodeBlock, Import[]>();
  for (const page of input.pages) {
    const from = path.dirname(path.join(config.root, page.path));
    for (const block of input.blocksOf(page.path)) {
      if (!input.isActive(block)) continue;
      const mine: Import[] = [];
      for (const imp of importsOf(block)) {
        const pkg = local.get(imp.pkg) ?? localPackage(imp.pkg, from, config);
        if (pkg) {
          local.set(pkg.name, pkg);
          mine.push(imp);
        } else if (!others.has(imp.pkg)) {
          const dir = installedDir(imp.pkg, from);
          if (dir) others.set(imp.pkg, fs.realpathSync(dir));
        }
      }
      if (mine.length) judged.set(block, mine);
    }
  }
  if (local.size === 0) {
    throw new UsageError(
      "--pack: no checked block imports a package of this repository (a workspace package, or a `file:` or linked dependency), so there is nothing to pack",
      "run --pack where the docs import the package they document, or drop --pack",
    );
  }
  // Local packages the packed ones depend on are packed too: a user installs them from the registry, not the repo.
  for (const pkg of [...local.values()]) addLocalDeps(pkg, local, config);

  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "validate-docs-pack-")));
  trackDir(tmp);
  try {
    const tarballs = path.join(tmp, "tarballs");
    fs.mkdirSync(tarballs);
    const deps: Record<string, string> = {};
    for (const pkg of local.values()) {
      const r = await run(NPM, ["pack", "--json", "--pack-destination", tarballs], pkg.dir);
      let file: string | undefined;
      try {
        file = (JSON.parse(r.stdout.slice(r.stdout.indexOf("["))) as { filename: string }[])[0]?.filename;
      } catch {
        file = undefined;
      }
      if (!r.ok || !file) {
        throw new UsageError(`--pack: \`npm pack\` failed for ${pkg.name} (${toPosix(path.relative(config.root, pkg.dir)) || "."}): ${tail(r.stderr)}`, "fix the package so `npm pack` succeeds, or drop --pack");
      }
      deps[pkg.name] = `file:${path.join(tarballs, path.basename(file))}`;
    }
    // The docs' other imports: the versions installed in the repository, linked (no registry needed for them).
    for (const [name, dir] of others) if (!(name in deps)) deps[name] = `file:${dir}`;
    for (const t of typesOf(input, config)) if (!(t.name in deps)) deps[t.name] = `file:${t.dir}`;
    const consumer = path.join(tmp, "consumer");
    fs.mkdirSync(consumer);
    const rootManifest = readManifest(config.root);
    fs.writeFileSync(
      path.join(consumer, "package.json"),
      JSON.stringify({ name: "validate-docs-consumer", version: "0.0.0", private: true, ...(rootManifest?.type ? { type: rootManifest.type } : {}), dependencies: deps }, null, 2),
    );
    const install = await run(NPM, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"], consumer);
    if (!install.ok) {
      throw new UsageError(`--pack: installing the packed package(s) into a clean project failed: ${tail(install.stderr)}`, "check that the packages' dependencies can be installed (the registry or npm's cache), or drop --pack");
    }

    // The pages that import a packed package, at the same paths in the consumer project, each with its tsconfig
    // minus what only the repository has (`paths` aliases; types from the consumer's node_modules).
    const pages: Page[] = [];
    const written = new Set<string>();
    for (const page of input.pages) {
      if (!input.blocksOf(page.path).some((b) => judged.has(b))) continue;
      const dir = path.posix.dirname(page.path);
      const abs = path.join(consumer, page.path);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      const tsconfig = input.tsconfigOf(page.path);
      if (tsconfig && !written.has(dir)) {
        written.add(dir);
        fs.writeFileSync(
          path.join(consumer, dir, "tsconfig.json"),
          JSON.stringify({ extends: tsconfig, compilerOptions: { paths: {}, typeRoots: [path.join(consumer, "node_modules", "@types")] } }),
        );
      }
      pages.push({ path: page.path, abs, source: page.source });
    }
    const consumerConfig: ResolvedConfig = {
      ...config,
      root: consumer,
      tsconfig: undefined,
      tsconfigForAll: false,
      packages: [],
      include: pages.map((p) => p.path),
      exclude: [],
      out: path.join(tmp, "reports"),
      cache: false,
      setup: [],
      templates: [],
      pack: false,
      update: false,
      fix: false,
      changed: undefined,
      bail: false,
      // Rule modules named by path still load from the repository.
      plugins: Object.fromEntries(Object.entries(config.plugins).map(([id, ref]) => [id, typeof ref === "string" && ref.startsWith(".") ? path.resolve(config.root, ref) : ref])),
    };
    const result = await input.checkPages(pages, consumerConfig);
    return diff(input, judged, local, consumer, result.pages);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    untrackDir(tmp);
  }
}

/** The @types packages the pages' tsconfigs name in `types` (or every one installed, for `types: ["*"]` and no tsconfig). */
function typesOf(input: PackInput, config: ResolvedConfig): { name: string; dir: string }[] {
  const out = new Map<string, string>();
  for (const page of input.pages) {
    const from = path.dirname(path.join(config.root, page.path));
    const tsconfig = input.tsconfigOf(page.path);
    let types: string[] | undefined = ["*"];
    if (tsconfig) {
      const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
      const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, { ...ts.sys, readDirectory: () => [] }, path.dirname(tsconfig), undefined, tsconfig);
      types = parsed.options.types;
    }
    for (const t of types ?? []) {
      if (t === "*") {
        for (let dir = from; ; dir = path.dirname(dir)) {
          const at = path.join(dir, "node_modules", "@types");
          for (const name of safeList(at)) if (!out.has(`@types/${name}`)) out.set(`@types/${name}`, fs.realpathSync(path.join(at, name)));
          if (path.dirname(dir) === dir) break;
        }
        continue;
      }
      const name = t.startsWith("@types/") ? t : `@types/${t}`;
      const dir = installedDir(name, from);
      if (dir && !out.has(name)) out.set(name, fs.realpathSync(dir));
    }
  }
  return [...out].map(([name, dir]) => ({ name, dir }));
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => !n.startsWith("."));
  } catch {
    return [];
  }
}

function addLocalDeps(pkg: LocalPackage, local: Map<string, LocalPackage>, config: ResolvedConfig): void {
  const manifest = readManifest(pkg.dir);
  for (const name of Object.keys({ ...manifest?.dependencies, ...manifest?.optionalDependencies, ...manifest?.peerDependencies })) {
    if (local.has(name)) continue;
    const dep = localPackage(name, pkg.dir, config);
    if (!dep) continue;
    local.set(name, dep);
    addLocalDeps(dep, local, config);
  }
}

function tail(text: string): string {
  const lines = text.trim().split("\n").filter((l) => !/^npm (?:warn|notice)/i.test(l));
  return lines.slice(-6).join("\n") || "(no output)";
}

/**
 * The consumer's result against the repository's: for each block that imports a packed package and passes in
 * the repository, what about the published package explains a failure (an import that is not exported, a file not
 * in the tarball), else the consumer's first error.
 */
function diff(input: PackInput, judged: Map<CodeBlock, Import[]>, local: Map<string, LocalPackage>, consumer: string, results: PageResult[]): Finding[] {
  const failing = new Set(input.findings.filter((f) => f.severity === "error" && f.blockId).map((f) => f.blockId!));
  const byPage = new Map(results.map((r) => [r.page, r]));
  const out: Finding[] = [];
  for (const [block, imports] of judged) {
    if (failing.has(block.id)) continue;
    const result = byPage.get(block.page);
    const consumerBlock = result?.blocks.find((b) => b.line === block.fence.start.line);
    const errors = (result?.findings ?? []).filter((f) => f.severity === "error" && f.blockId === consumerBlock?.id);
    const causes: Finding[] = [];
    for (const imp of imports) {
      const pkg = local.get(imp.pkg)!;
      const cause = explain(imp, pkg, path.join(consumer, "node_modules", imp.pkg), resolveInRepo(input, imp.specifier, block));
      if (cause) causes.push(packFinding(block, cause.ruleId, cause.message, toPagePlace(block, imp.pos, imp.end)));
    }
    // A file the published package's code loads at run time that the tarball lacks.
    for (const f of errors) {
      const missing = missingFileIn(f.message, consumer, local);
      if (missing && !causes.some((c) => c.message.includes(missing.file))) {
        causes.push(packFinding(block, "pack/missing-file", `file \`${missing.file}\` is not in the published tarball of \`${missing.pkg}\` (the package's \`files\` field or .npmignore leaves it out), so this block fails for a user: ${firstLine(f.message)}`, f.place));
      }
    }
    if (causes.length) {
      out.push(...causes);
      continue;
    }
    const first = errors[0];
    if (first) {
      out.push(
        packFinding(
          block,
          "pack/consumer-fails",
          `passes in the repository but fails for a user of the published ${[...new Set(imports.map((i) => `\`${i.pkg}\``))].join(", ")}: ${first.ruleId}: ${firstLine(first.message)}` +
            (errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""),
          first.place,
        ),
      );
    }
  }
  return out;
}

function packFinding(block: CodeBlock, ruleId: string, message: string, place: Finding["place"]): Finding {
  return {
    stage: "pack",
    ruleId,
    severity: "error",
    message,
    hint: "--pack checked this block against the package as `npm pack` publishes it, installed into a clean project; fix the package (its `exports` or `files`) or the example",
    page: block.page,
    blockId: block.id,
    place,
  };
}

function firstLine(text: string): string {
  const line = text.split("\n")[0]!;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** A path inside an installed packed package that an error says is missing, as the package-relative file. */
function missingFileIn(message: string, consumer: string, local: Map<string, LocalPackage>): { pkg: string; file: string } | undefined {
  const m = /Cannot find (?:module|package) '((?:file:\/\/)?\/[^']+)'/.exec(message)?.[1];
  if (!m) return undefined;
  const file = m.startsWith("file://") ? new URL(m).pathname : m;
  for (const pkg of local.values()) {
    const base = path.join(consumer, "node_modules", pkg.name) + path.sep;
    if (!file.startsWith(base)) continue;
    const rel = file.slice(base.length);
    if (!fs.existsSync(file) && fs.existsSync(path.join(pkg.dir, rel))) return { pkg: pkg.name, file: toPosix(rel) };
  }
  return undefined;
}

/** What about the published package makes `imp` fail for a user, if it is the package's `exports` or a missing file. */
function explain(imp: Import, pkg: LocalPackage, installed: string, inRepo: string | undefined): { ruleId: string; message: string } | undefined {
  const manifest = readManifest(installed);
  if (!manifest) return undefined;
  const sub = imp.specifier === imp.pkg ? "." : `.${imp.specifier.slice(imp.pkg.length)}`;
  const where = inRepo ? `; in the repository it resolves to ${inRepo}` : "";
  let targets: string[];
  if (manifest.exports !== undefined && manifest.exports !== null) {
    const entry = exportsEntry(manifest.exports, sub);
    if (entry === undefined) {
      return {
        ruleId: "pack/not-exported",
        message: `\`${imp.specifier}\` is not exported by the published package: its package.json \`exports\` has no \`${sub}\` entry${where}`,
      };
    }
    targets = flatTargets(entry.value).map((t) => t.replace(/\*/g, entry.star ?? ""));
  } else if (sub === ".") {
    targets = [manifest.main, manifest.types, manifest.typings].filter((t): t is string => typeof t === "string");
    if (!targets.length) targets = ["index.js"];
  } else {
    const rest = sub.slice(2);
    const candidates = [rest, `${rest}.js`, `${rest}.d.ts`, `${rest}.json`, `${rest}/index.js`, `${rest}/index.d.ts`];
    if (candidates.some((c) => fs.existsSync(path.join(installed, c)))) return undefined;
    const inSource = candidates.find((c) => fs.existsSync(path.join(pkg.dir, c)));
    return inSource ? missingFile(imp, inSource) : undefined;
  }
  const missing = [...new Set(targets.map((t) => t.replace(/^\.\//, "")))].filter((rel) => !fs.existsSync(path.join(installed, rel)) && fs.existsSync(path.join(pkg.dir, rel)));
  return missing.length ? missingFile(imp, ...missing) : undefined;
}

function missingFile(imp: Import, ...files: string[]): { ruleId: string; message: string } {
  const names = files.map((f) => `\`${toPosix(f)}\``).join(", ");
  return {
    ruleId: "pack/missing-file",
    message: `${files.length === 1 ? `file ${names} is` : `files ${names} are`} not in the published tarball of \`${imp.pkg}\` (the package's \`files\` field or .npmignore leaves ${files.length === 1 ? "it" : "them"} out), so \`${imp.specifier}\` fails for a user`,
  };
}

/** The `exports` entry for a subpath (exact key, else the longest matching `*` pattern); undefined: not exported. */
function exportsEntry(exports: unknown, sub: string): { value: unknown; star?: string } | undefined {
  const isSubpathMap = typeof exports === "object" && !Array.isArray(exports) && Object.keys(exports as object).some((k) => k.startsWith("."));
  if (!isSubpathMap) return sub === "." ? { value: exports } : undefined;
  const map = exports as Record<string, unknown>;
  if (sub in map) return map[sub] === null ? undefined : { value: map[sub] };
  let best: { value: unknown; star: string; length: number } | undefined;
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf("*");
    if (star < 0) continue;
    const before = key.slice(0, star);
    const after = key.slice(star + 1);
    if (sub.startsWith(before) && sub.endsWith(after) && sub.length >= key.length - 1 && (!best || before.length > best.length)) {
      best = { value, star: sub.slice(before.length, sub.length - after.length), length: before.length };
    }
  }
  return best && best.value !== null ? { value: best.value, star: best.star } : undefined;
}

function flatTargets(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(flatTargets);
  if (value && typeof value === "object") return Object.values(value).flatMap(flatTargets);
  return [];
}

/** Where an import resolves in the repository (root-relative), for the message. */
function resolveInRepo(input: PackInput, specifier: string, block: CodeBlock): string | undefined {
  const from = path.join(input.config.root, block.page);
  const resolved = ts.resolveModuleName(specifier, from, input.compilerOptionsOf(block), ts.sys).resolvedModule?.resolvedFileName;
  return resolved ? toPosix(path.relative(input.config.root, fs.existsSync(resolved) ? fs.realpathSync(resolved) : resolved)) : undefined;
}
