// Strips types from every runnable block in one esbuild build per module format and tsconfig (ESM always, CJS
// only when a page has CommonJS blocks, one more of each for every other tsconfig of a monorepo's packages; the
// builds run concurrently). Blocks are virtual entry points resolved from
// their page's directory, so `./helper.js` is bundled from its real location while packages stay bare
// imports that node resolves at run time from the output file — which therefore lives inside the user's
// package scope (`<package dir>/.validate-docs/run-<pid>-<n>/`, the nearest folder with a package.json or a node_modules).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { trackDir, untrackDir } from "./cleanup.js";
import type * as Esbuild from "esbuild";
import { esbuildApi } from "../util/esbuild.js";
import type { CodeBlock } from "../types.js";
import { hasValueComment, instrumentAt, type ValueAssertion } from "./assertions.js";
import type { RunSyntax } from "./syntax.js";
import { BLOCK_SOURCE_PREFIX, SCOPE_GLOBAL } from "./protocol.js";
import { runCarry, type CarrySyntax, type RunCarry } from "../context/run-carry.js";
import type { PlannedSubstitute } from "../grade/placeholders.js";
import { substituteCode } from "./placeholders.js";

export interface TranspileInput {
  /** Absolute path of the page (for resolveDir and package scope). */
  pageAbs: string;
  /** The page's path relative to the root (blocks of other files, i.e. config setup files, resolve from theirs). */
  page?: string;
  /** The blocks of one process, in run order; each takes the carried values of the blocks before it that it sees. */
  blocks: CodeBlock[];
  /** The page's tsconfig, so running honours what checking used (jsx runtime, decorators, paths). */
  tsconfig?: string;
  /** Block id → placeholders the run's copy of the block replaces (src/run/placeholders.ts). */
  substitutes?: Record<string, PlannedSubstitute[]>;
  /** Block id → what the run needs of its syntax (src/run/syntax.ts; the compiler is not loaded on this thread). */
  syntax: Record<string, RunSyntax>;
}

export interface TranspiledBlock {
  key: string;
  url: string;
  assertions: ValueAssertion[];
  /** 1-based line of the module source that holds the one-line page-context prelude (none when absent). */
  preludeLine?: number;
}

export interface TranspileResult {
  /** Per input page, per block: the module to import, or the esbuild errors that prevented it. */
  pages: { blocks: (TranspiledBlock | { errors: Esbuild.Message[] })[] }[];
  /** Removes every file this run wrote. */
  cleanup(): void;
}

let runCounter = 0;

const REQUIRE_CALL = /\brequire\s*\(/;
/** `require` for an ES module block, resolving from the block's output file like its imports. */
const REQUIRE_SHIM = 'import { createRequire as __vdCreateRequire } from "node:module"; const require = __vdCreateRequire(import.meta.url);';

export function isCommonJs(block: CodeBlock): boolean {
  return block.format === "cjs";
}

function loaderFor(ext: string): Esbuild.Loader {
  if (ext === ".tsx") return "tsx";
  if (ext === ".jsx") return "jsx";
  if (ext === ".js" || ext === ".mjs" || ext === ".cjs") return "js";
  return "ts";
}

/**
 * The nearest directory at or above `dir` with a package.json or a node_modules folder, or `fallback`. Node resolves a
 * block's packages from the folders above its output file, so the output must sit where every node_modules the page
 * sees (and the type-check resolved from) is above it: a docs folder with its own node_modules and no package.json
 * resolves its packages there, not only from the project root's.
 */
function packageDir(dir: string, fallback: string, cache: Map<string, string>): string {
  const cached = cache.get(dir);
  if (cached) return cached;
  let found = fallback;
  for (let d = dir; ; d = path.dirname(d)) {
    if (path.basename(d) !== "node_modules" && (fs.existsSync(path.join(d, "package.json")) || fs.existsSync(path.join(d, "node_modules")))) {
      found = d;
      break;
    }
    if (path.dirname(d) === d) break;
  }
  cache.set(dir, found);
  return found;
}

/**
 * The nearest existing directory at or above `dir`. A rendered template page's directory often does not exist yet,
 * and esbuild cannot resolve anything (not even external packages) from a missing resolveDir.
 */
function existingDir(dir: string): string {
  let d = dir;
  while (!fs.existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}

function commonAncestor(dirs: string[]): string {
  let common = dirs[0]!;
  for (const dir of dirs.slice(1)) {
    while (common !== dir && !dir.startsWith(common.endsWith(path.sep) ? common : common + path.sep)) common = path.dirname(common);
  }
  return common;
}

export function blockKey(pageIndex: number, blockIndex: number): string {
  return `${pageIndex}-${blockIndex}`;
}

/** One esbuild build per module format and tsconfig (pages of a monorepo's packages may each have their own). */
export async function transpile(root: string, inputs: TranspileInput[]): Promise<TranspileResult> {
  const runName = `run-${process.pid}-${++runCounter}`;
  const pkgCache = new Map<string, string>();
  const createdBases = new Set<string>();
  const runDirs = new Set<string>();
  interface Entry { key: string; block: CodeBlock; code: string; resolveDir: string; outFile: string; cjs: boolean; tsconfig?: string; assertions: ValueAssertion[]; preludeLine?: number }
  const entries = new Map<string, Entry>();
  const result: TranspileResult["pages"] = inputs.map(() => ({ blocks: [] }));

  inputs.forEach((input, p) => {
    const resolveDir = existingDir(path.dirname(input.pageAbs));
    const base = path.join(packageDir(resolveDir, root, pkgCache), ".validate-docs");
    const runDir = path.join(base, runName);
    if (!fs.existsSync(base) && !createdBases.has(base)) {
      createdBases.add(base);
      trackDir(base, "emptyDir");
    }
    if (!runDirs.has(runDir)) trackDir(runDir);
    runDirs.add(runDir);
    // Page context: what each block takes from the blocks before it in this process; a block gives only names
    // that a later block takes.
    // The blocks' syntax comes as data (the compiler is not loaded on this thread).
    const syntaxOf = (block: CodeBlock): CarrySyntax => {
      const carry = input.syntax[block.id]?.carry;
      if (!carry) throw new Error(`internal: no page-context syntax for block ${block.id} of ${input.page ?? input.pageAbs}`);
      return carry;
    };
    const carries = input.blocks.map((block, b) => {
      const visible = new Set(block.context);
      const seen = input.blocks.slice(0, b).filter((x) => visible.has(x.id));
      return seen.length > 0 ? runCarry(block, seen, syntaxOf) : undefined;
    });
    input.blocks.forEach((block, b) => {
      const key = blockKey(p, b);
      const cjs = isCommonJs(block);
      const source = substituteCode(block.code, input.substitutes?.[block.id]);
      const sites = input.syntax[block.id]?.values;
      if (!sites && hasValueComment(block.code)) throw new Error(`internal: no \`// =>\` sites for block ${block.id} of ${input.page ?? input.pageAbs}`);
      const { code: instrumented, assertions } = instrumentAt(source, key, sites ?? []);
      const later = new Set(carries.slice(b + 1).flatMap((c) => (c ? [...c.take.keys()] : [])));
      const usesRequire = !cjs && REQUIRE_CALL.test(block.code);
      const own = carries[b] ?? (later.size > 0 || usesRequire ? runCarry(block, [], syntaxOf) : undefined);
      const carry: RunCarry = own
        ? { ...own, give: own.give.filter((n) => later.has(n)) }
        : { imports: [], take: new Map(), give: [], insertAt: 0 };
      // `require` in an ES module block (`require('knex')` next to a top-level await): given to it, as TypeScript
      // compiled to CommonJS, tsx and Node's REPL do, unless the block or its page context declares its own.
      if (usesRequire && !own!.give.includes("require")) carry.imports = [REQUIRE_SHIM, ...carry.imports];
      const { code, preludeLine } = withRunPrelude(block, instrumented, carry, key);
      const outFile = path.join(runDir, `p${p}`, `b${b}${cjs ? ".cjs" : ".mjs"}`);
      // A config setup file is a block of another file: its relative imports resolve from where it is.
      const dir = block.page === input.page ? resolveDir : existingDir(path.dirname(path.join(root, block.page)));
      entries.set(key, { key, block, code, resolveDir: dir, outFile, cjs, ...(input.tsconfig ? { tsconfig: input.tsconfig } : {}), assertions, ...(preludeLine !== undefined ? { preludeLine } : {}) });
    });
  });

  const cleanup = (): void => {
    for (const dir of runDirs) {
      fs.rmSync(dir, { recursive: true, force: true });
      untrackDir(dir);
    }
    for (const base of createdBases) {
      untrackDir(base, "emptyDir");
      try {
        fs.rmdirSync(base); // only when empty: another concurrent run may be using it
      } catch {
        /* not empty or gone */
      }
    }
  };

  const outdir = runDirs.size > 0 ? commonAncestor([...runDirs]) : root;
  const failed = new Map<string, Esbuild.Message[]>();
  const build = async (cjs: boolean, tsconfig: string | undefined): Promise<void> => {
    let pending = [...entries.values()].filter((e) => e.cjs === cjs && e.tsconfig === tsconfig && !failed.has(e.key));
    // A syntax error fails the whole build; drop the blocks it names and build the rest again.
    while (pending.length > 0) {
      try {
        await esbuildApi().build(buildOptions(pending, cjs, outdir, tsconfig));
        return;
      } catch (err) {
        const errors = (err as Esbuild.BuildFailure).errors ?? [];
        const keys = new Set<string>();
        for (const e of errors) {
          const key = keyOfFile(e.location?.file);
          if (key && entries.has(key)) {
            keys.add(key);
            failed.set(key, [...(failed.get(key) ?? []), e]);
          }
        }
        if (keys.size === 0) {
          // Not attributable to one block (e.g. a plugin failure): every pending block fails with it.
          for (const e of pending) failed.set(e.key, errors);
          return;
        }
        pending = pending.filter((e) => !keys.has(e.key));
      }
    }
  };
  const builds = new Map([...entries.values()].map((e) => [`${e.cjs}\0${e.tsconfig ?? ""}`, [e.cjs, e.tsconfig] as const]));
  await Promise.all([...builds.values()].map(([cjs, tsconfig]) => build(cjs, tsconfig)));

  for (const entry of entries.values()) {
    const [p, b] = entry.key.split("-").map(Number) as [number, number];
    const errors = failed.get(entry.key);
    result[p]!.blocks[b] = errors
      ? { errors }
      : { key: entry.key, url: pathToFileURL(entry.outFile).href, assertions: entry.assertions, ...(entry.preludeLine !== undefined ? { preludeLine: entry.preludeLine } : {}) };
  }
  return { pages: result, cleanup };

  function buildOptions(list: Entry[], cjs: boolean, dir: string, tsconfig: string | undefined): Esbuild.BuildOptions {
    return {
      entryPoints: list.map((e) => ({ in: `${BLOCK_SOURCE_PREFIX}${e.key}`, out: path.relative(dir, e.outFile).replace(/\.[cm]js$/, "") })),
      outdir: dir,
      outExtension: { ".js": cjs ? ".cjs" : ".mjs" },
      bundle: true,
      packages: "external",
      format: cjs ? "cjs" : "esm",
      platform: "node",
      target: "node20",
      sourcemap: "inline",
      sourcesContent: false,
      ...(tsconfig ? { tsconfig } : {}),
      logLevel: "silent",
      write: true,
      plugins: [
        {
          name: "validate-docs-blocks",
          setup(b) {
            b.onResolve({ filter: new RegExp(`^${BLOCK_SOURCE_PREFIX}`) }, (args) => {
              const key = args.path.slice(BLOCK_SOURCE_PREFIX.length);
              return { path: `${key}${entries.get(key)?.block.ext ?? ".ts"}`, namespace: "vd-block" };
            });
            b.onLoad({ filter: /.*/, namespace: "vd-block" }, (args) => {
              const entry = entries.get(keyOfFile(`${BLOCK_SOURCE_PREFIX}${args.path}`) ?? "");
              if (!entry) return { errors: [{ text: `unknown block ${args.path}` }] };
              return { contents: entry.code, loader: loaderFor(entry.block.ext), resolveDir: entry.resolveDir };
            });
          },
        },
      ],
    };
  }
}

/**
 * Page context at run time: one line inserted before the block's code (after a shebang or pragma lines) that
 * imports the carried imports the block uses, takes the carried values it uses from the page's scope, and gives
 * its own top-level values (live, through getters) to the blocks after it. One line, so every line of the block
 * keeps its number + 1 and its columns.
 */
function withRunPrelude(block: CodeBlock, code: string, carry: RunCarry, key: string): { code: string; preludeLine?: number } {
  if (carry.imports.length === 0 && carry.take.size === 0 && carry.give.length === 0) return { code };
  const scope = `globalThis.${SCOPE_GLOBAL}`;
  const parts = [...carry.imports];
  if (carry.take.size > 0) {
    const names = [...carry.take.keys()];
    parts.push(`let { ${names.join(", ")} } = ${scope}.take(${JSON.stringify(names)});`);
  }
  if (carry.give.length > 0) {
    parts.push(`${scope}.give(${JSON.stringify(key)}, { ${carry.give.map((n) => `get ${n}() { return ${n}; }`).join(", ")} });`);
  }
  const lineIndex = block.code.slice(0, carry.insertAt).split("\n").length - 1;
  const lines = code.split("\n");
  lines.splice(lineIndex, 0, parts.join(" "));
  return { code: lines.join("\n"), preludeLine: lineIndex + 1 };
}

/** `vd-block:3-1.ts` → `3-1`. */
export function keyOfFile(file: string | undefined): string | undefined {
  if (!file?.startsWith(BLOCK_SOURCE_PREFIX)) return undefined;
  const m = /^(\d+-\d+)/.exec(file.slice(BLOCK_SOURCE_PREFIX.length));
  return m?.[1];
}
