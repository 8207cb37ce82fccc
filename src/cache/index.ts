// The result cache: extract results per page, stage findings per block (typecheck, lint) and per page (run), stored under
// node_modules/.cache/validate-docs, one file per entry named by the hash of everything the result depends on.
// See docs/performance.md ("Result cache") for what goes into a key and what does not.
//
// Entries are written atomically (temp file + rename), so concurrent runs at worst both compute and write the
// same entry; a torn or foreign file reads as a miss. A failure to write only costs the next run's time.
import { domFingerprint } from "../run/dom.js";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ResolvedConfig } from "../config-types.js";
import { fencePlace } from "../extract/position.js";
import type ts from "../typescript.cjs";
import type { CacheStats, CodeBlock, Finding, Page } from "../types.js";
import { augments } from "../typecheck/program.js";
import { writeFileAtomic } from "../util/fs.js";
import { SRC_DIR } from "../util/own-files.js";
import { typescript } from "../util/typescript.js";
import { VERSION } from "../version.js";
import { DependencyScanner, sha256 } from "./deps.js";
import { sortKeys } from "../util/sort-keys.js";

/** Bump when the meaning of a stored entry changes. */
const SCHEMA = 1;

/**
 * The tool itself: its version and the content of its own code (src and rules, as built), so a changed rule or
 * stage never serves a result the previous build computed, also while the version number stays the same. Read on
 * first use: a run with `--no-cache` does not read the tool's ≈ 2.5 MB of code (≈ 25 ms of CPU).
 */
let toolHash: string | undefined;
const tool = (): string => (toolHash ??= hashTool());

function hashTool(): string {
  const src = SRC_DIR;
  const hash = crypto.createHash("sha256").update(VERSION);
  for (const dir of [src, path.join(path.dirname(src), "rules")]) {
    let files: string[] = [];
    try {
      files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.(?:c?js|c?ts)$/.test(f) && !/\.d\.c?ts$/.test(f)).sort();
    } catch {
      continue;
    }
    for (const file of files) hash.update(`\0${file}\0`).update(fs.readFileSync(path.join(dir, file)));
  }
  return hash.digest("hex");
}

export function cacheDir(root: string): string {
  return path.join(root, "node_modules", ".cache", "validate-docs");
}

export interface RunEntry {
  findings: Finding[];
  ran: string[];
  outputs: [string, string][];
}


/** What the cache needs of the program a block is checked in (see programGroups in src/typecheck/tsconfig-of.ts). */
export interface CacheGroup {
  key: string;
  compilerOptions: ts.CompilerOptions;
  program: { tsconfig?: string; native?: { mode: string; compiler?: { name: string; version: string } } };
}

export class ResultCache {
  readonly stats: CacheStats;
  private readonly ts = typescript();
  private readonly blockKeys = new Map<CodeBlock, string>();
  private readonly depKeys = new Map<CodeBlock, string>();
  private readonly byId: Map<string, CodeBlock>;
  private readonly common: string;
  /** Per program group: its dependency scanner and the inputs of its keys. */
  private readonly inputs = new Map<string, { scanner: DependencyScanner; type: string; lint: string; run: string }>();
  private readonly augmenting: string[];

  constructor(
    private readonly dir: string,
    private readonly config: ResolvedConfig,
    private readonly groupOf: (block: CodeBlock) => CacheGroup,
    blocks: readonly CodeBlock[],
    extractStats: { hits: number; misses: number },
  ) {
    this.stats = { extract: extractStats, typecheck: { hits: 0, misses: 0 }, lint: { hits: 0, misses: 0 }, run: { hits: 0, misses: 0 } };
    this.byId = new Map(blocks.map((b) => [b.id, b]));
    this.common = sha256(JSON.stringify([SCHEMA, tool(), process.version, config.root, resultOptions(config)]));
    // Global augmentations (`declare global`, `declare module "x"`) in one block change what every other block sees.
    this.augmenting = blocks.filter(augments).map((b) => b.code);
  }

  /** The key inputs of a program group: its compiler options and the ambient types its tsconfig's folder sees. */
  private inputsOf(group: CacheGroup): { scanner: DependencyScanner; type: string; lint: string; run: string } {
    let found = this.inputs.get(group.key);
    if (found) return found;
    const config = this.config;
    const compilerOptions = group.compilerOptions;
    const scanner = new DependencyScanner(config.root, compilerOptions, group.program.tsconfig ? path.dirname(group.program.tsconfig) : config.root);
    const type = sha256(
      // The group key: the compiler options without the tsconfig's own path (tsconfigs that say the same share results).
      // The native compiler (option `typescript`) decides which blocks TypeScript 6 checks again: its version is an input.
      JSON.stringify([this.common, this.ts.version, group.key, config.checkJs, config.levels, scanner.ambientTypes(), this.augmenting, nativeKey(group)]),
    );
    const lint = sha256(JSON.stringify([type, config.rules, config.bannedApis, pluginFingerprint(config), fileHash(config.configFile)]));
    const passed = Object.fromEntries(config.passEnv.map((name) => [name, process.env[name] ?? null]));
    const run = sha256(
      JSON.stringify([
        this.common,
        group.key,
        config.timeout,
        config.memoryLimit,
        config.warnings,
        config.allowWarnings,
        config.env,
        passed,
        // What examples may reach and touch changes what they do.
        config.network,
        config.sandbox,
        // The DOM implementation env=browser blocks run under: installing or upgrading it changes their results.
        domFingerprint(config.root),
        config.isolate,
      ]),
    );
    found = { scanner, type, lint, run };
    this.inputs.set(group.key, found);
    return found;
  }

  /**
   * The block as data (text, attributes, place in the page, every field extract sets), what it imports, and the
   * keys of the blocks of its page context (a block that sees earlier blocks' declarations depends on them).
   */
  private blockKey(block: CodeBlock): string {
    let key = this.blockKeys.get(block);
    if (key === undefined) {
      // Page context: what a block sees is part of it (the blocks it carries from, with their own dependencies).
      this.blockKeys.set(block, "cycle");
      const seen = block.context.map((id) => {
        const lender = this.byId.get(id);
        return lender && lender !== block ? this.blockKey(lender) : id;
      });
      key = sha256(JSON.stringify([block, this.dependencies(block), seen]));
      this.blockKeys.set(block, key);
    }
    return key;
  }

  private dependencies(block: CodeBlock): string {
    let deps = this.depKeys.get(block);
    if (deps === undefined) {
      deps = sha256(this.inputsOf(this.groupOf(block)).scanner.blockDependencies(block).join("\n"));
      this.depKeys.set(block, deps);
    }
    return deps;
  }

  typecheckKey(block: CodeBlock): string {
    return sha256(`typecheck\n${this.inputsOf(this.groupOf(block)).type}\n${this.blockKey(block)}`);
  }

  lintKey(block: CodeBlock): string {
    return sha256(`lint\n${this.inputsOf(this.groupOf(block)).lint}\n${this.blockKey(block)}`);
  }

  /** Diagnostics of the whole program (compiler options, global types): one entry per option set. */
  globalKey(group: CacheGroup): string {
    return sha256(`global\n${this.inputsOf(group).type}`);
  }

  /** A page runs with the options of its blocks' tsconfig (esbuild honours jsx, decorators and paths from it). */
  runKey(page: Page, blocks: readonly CodeBlock[]): string {
    const runs = [...new Set(blocks.map((b) => this.inputsOf(this.groupOf(b)).run))].join("\n");
    return sha256(`run\n${runs}\n${page.path}\n${blocks.map((b) => this.blockKey(b)).join("\n")}`);
  }

  read<T>(key: string): T | undefined {
    return readEntry<T>(this.dir, key);
  }

  write(key: string, value: unknown): void {
    writeEntry(this.dir, key, value);
  }
}

/** The extract result of a page depends on the page (path, text, template origin), its extract options and the tool. */
export function extractKey(page: Page, options: unknown): string {
  return sha256(JSON.stringify(["extract", SCHEMA, tool(), page.path, page.source, page.origin ?? null, options]));
}

export function readEntry<T>(dir: string, key: string): T | undefined {
  try {
    const entry = JSON.parse(fs.readFileSync(entryFile(dir, key), "utf8")) as { key?: string; value?: T };
    return entry.key === key ? entry.value : undefined;
  } catch {
    return undefined;
  }
}

export function writeEntry(dir: string, key: string, value: unknown): void {
  try {
    writeFileAtomic(entryFile(dir, key), JSON.stringify({ key, value }));
  } catch {
    // A read-only or full disk costs the next run its time, never this run its result.
  }
}

function entryFile(dir: string, key: string): string {
  return path.join(dir, key.slice(0, 2), `${key.slice(2)}.json`);
}

/** Re-attaches whole-program diagnostics (stored with the anchor of the run that computed them) to `anchor`. */
export function reanchor(findings: readonly Finding[], anchor: CodeBlock): Finding[] {
  return findings.map((f) => ({ ...f, page: anchor.page, blockId: anchor.id, place: fencePlace(anchor) }));
}

/** Pages whose run failed for reasons outside the page (a timeout, a crash) are run again next time. */
export function isCacheableRun(findings: readonly Finding[]): boolean {
  return !findings.some((f) => f.ruleId === "run/timeout" || f.ruleId === "run/crash");
}

/**
 * Every config option except those that only choose pages or shape reports, and those each stage's inputs list
 * above: an option added later changes every key until it is sorted in here, so it can never serve a stale result.
 */
/** The native compiler a group's blocks are checked with: its package and version, or none (TypeScript 6 alone). */
function nativeKey(group: CacheGroup): string | null {
  const compiler = group.program.native?.compiler;
  return compiler ? `${compiler.name}@${compiler.version}` : null;
}

function resultOptions(config: ResolvedConfig): unknown {
  const {
    root, configFile, include, exclude, out, reporters, concurrency, update, fix, changed, cache, templates, pack,
    // Applied after the stages (baseline) or choosing pages (shard): a shard reuses a whole run's results.
    baseline, updateBaseline, force, shard,
    typecheck, run, lint, tsconfig, tsconfigForAll, packages, checkJs, rules, plugins, bannedApis,
    timeout, memoryLimit, warnings, allowWarnings, env, passEnv, isolate, typescript,
    ...rest
  } = config;
  // pack: its findings come from the consumer's check, which never uses the cache; the repository's results are the same.
  void [root, configFile, include, exclude, out, reporters, concurrency, update, fix, changed, cache, templates, pack];
  // tsconfig, tsconfigForAll, packages: what they decide is in each block's compiler options.
  // typescript: in the type-check key, as the native compiler it found (nativeKey).
  void [typecheck, run, lint, tsconfig, tsconfigForAll, packages, checkJs, rules, plugins, bannedApis, timeout, memoryLimit, warnings, allowWarnings, env, passEnv, isolate, typescript];
  void [baseline, updateBaseline, force, shard];
  return sortKeys(rest);
}

function pluginFingerprint(config: ResolvedConfig): unknown {
  return Object.entries(config.plugins).map(([id, ref]) =>
    typeof ref === "string" ? [id, ref, fileHash(path.resolve(config.root, ref))] : [id, typeof ref],
  );
}

function fileHash(file: string | undefined): string | null {
  if (!file) return null;
  try {
    return sha256(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}
