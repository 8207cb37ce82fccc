// Strips types from every runnable block in one esbuild build per module format (ESM always, CJS only when
// a page has CommonJS blocks; the two run concurrently). Blocks are virtual entry points resolved from
// their page's directory, so `./helper.js` is bundled from its real location while packages stay bare
// imports that node resolves at run time from the output file — which therefore lives inside the user's
// package scope (`<package dir>/.validate-docs/run-<pid>-<n>/`).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { moduleFormat } from "../module-format.js";
import { trackDir, untrackDir } from "./cleanup.js";
import * as esbuild from "esbuild";
import type { CodeBlock } from "../types.js";
import { instrumentValueAssertions, type ValueAssertion } from "./assertions.js";
import { BLOCK_SOURCE_PREFIX } from "./protocol.js";

export interface TranspileInput {
  /** Absolute path of the page (for resolveDir and package scope). */
  pageAbs: string;
  blocks: CodeBlock[];
}

export interface TranspiledBlock {
  key: string;
  url: string;
  assertions: ValueAssertion[];
}

export interface TranspileResult {
  /** Per input page, per block: the module to import, or the esbuild errors that prevented it. */
  pages: { blocks: (TranspiledBlock | { errors: esbuild.Message[] })[] }[];
  /** Removes every file this run wrote. */
  cleanup(): void;
}

let runCounter = 0;

export function isCommonJs(block: CodeBlock): boolean {
  return (block.format ?? moduleFormat(block)) === "cjs";
}

function loaderFor(ext: string): esbuild.Loader {
  if (ext === ".tsx") return "tsx";
  if (ext === ".jsx") return "jsx";
  if (ext === ".js" || ext === ".mjs" || ext === ".cjs") return "js";
  return "ts";
}

/** The directory of the nearest package.json at or above `dir`, or `fallback`. */
function packageDir(dir: string, fallback: string, cache: Map<string, string>): string {
  const cached = cache.get(dir);
  if (cached) return cached;
  let found = fallback;
  for (let d = dir; ; d = path.dirname(d)) {
    if (path.basename(d) !== "node_modules" && fs.existsSync(path.join(d, "package.json"))) {
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

/** `tsconfig`: the user's tsconfig, so running honours what checking used (jsx runtime, decorators, paths). */
export async function transpile(root: string, inputs: TranspileInput[], tsconfig?: string): Promise<TranspileResult> {
  const runName = `run-${process.pid}-${++runCounter}`;
  const pkgCache = new Map<string, string>();
  const createdBases = new Set<string>();
  const runDirs = new Set<string>();
  interface Entry { key: string; block: CodeBlock; code: string; resolveDir: string; outFile: string; cjs: boolean; assertions: ValueAssertion[] }
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
    input.blocks.forEach((block, b) => {
      const key = blockKey(p, b);
      const cjs = isCommonJs(block);
      const { code, assertions } = instrumentValueAssertions(block.code, key, block.ext);
      const outFile = path.join(runDir, `p${p}`, `b${b}${cjs ? ".cjs" : ".mjs"}`);
      entries.set(key, { key, block, code, resolveDir, outFile, cjs, assertions });
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
  const failed = new Map<string, esbuild.Message[]>();
  const build = async (cjs: boolean): Promise<void> => {
    let pending = [...entries.values()].filter((e) => e.cjs === cjs && !failed.has(e.key));
    // A syntax error fails the whole build; drop the blocks it names and build the rest again.
    while (pending.length > 0) {
      try {
        await esbuild.build(buildOptions(pending, cjs, outdir));
        return;
      } catch (err) {
        const errors = (err as esbuild.BuildFailure).errors ?? [];
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
  await Promise.all([build(false), build(true)]);

  for (const entry of entries.values()) {
    const [p, b] = entry.key.split("-").map(Number) as [number, number];
    const errors = failed.get(entry.key);
    result[p]!.blocks[b] = errors ? { errors } : { key: entry.key, url: pathToFileURL(entry.outFile).href, assertions: entry.assertions };
  }
  return { pages: result, cleanup };

  function buildOptions(list: Entry[], cjs: boolean, dir: string): esbuild.BuildOptions {
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

/** `vd-block:3-1.ts` → `3-1`. */
export function keyOfFile(file: string | undefined): string | undefined {
  if (!file?.startsWith(BLOCK_SOURCE_PREFIX)) return undefined;
  const m = /^(\d+-\d+)/.exec(file.slice(BLOCK_SOURCE_PREFIX.length));
  return m?.[1];
}
