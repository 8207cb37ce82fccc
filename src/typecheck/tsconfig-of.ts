// Which tsconfig a page is checked (and its blocks transpiled) with, in a monorepo: the one its package's config
// file names, else the nearest tsconfig.json between the page and the root, else the root's (`tsconfig` in the
// root config, or <root>/tsconfig.json). `--tsconfig` on the command line applies to every page.
// Pages whose tsconfigs give the same compiler options share one program (see groupByOptions).
import fs from "node:fs";
import path from "node:path";
import type { ResolvedConfig } from "../config-types.js";
import type ts from "../typescript.cjs";
import type { CodeBlock } from "../types.js";
import { compilerOptionsFor } from "./options.js";
import type { ProgramOptions } from "./program-types.js";
import { sortKeys } from "../util/sort-keys.js";

export type TsconfigOf = (page: string) => string | undefined;

/** A resolver from a root-relative page path (posix) to the absolute tsconfig for it; answers are memoized per directory. */
export function tsconfigResolver(config: Pick<ResolvedConfig, "root" | "tsconfig" | "tsconfigForAll" | "packages">): TsconfigOf {
  if (config.tsconfigForAll) return () => config.tsconfig;
  const named = new Map<string, string>();
  for (const p of config.packages ?? []) if (p.tsconfig) named.set(path.join(config.root, p.dir), p.tsconfig);
  const byDir = new Map<string, string | undefined>();
  const root = path.resolve(config.root);
  const of = (dir: string): string | undefined => {
    if (byDir.has(dir)) return byDir.get(dir);
    let found: string | undefined;
    const rel = path.relative(root, dir);
    if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) found = config.tsconfig;
    else {
      const own = named.get(dir) ?? (fs.existsSync(path.join(dir, "tsconfig.json")) ? path.join(dir, "tsconfig.json") : undefined);
      found = own ?? of(path.dirname(dir));
    }
    byDir.set(dir, found);
    return found;
  };
  return (page) => of(path.dirname(path.resolve(root, page)));
}

/** The blocks checked with one set of compiler options: one TypeScript program. */
export interface ProgramGroup {
  /** The options without the tsconfig's own path: tsconfigs that say the same share a program. */
  key: string;
  program: ProgramOptions;
  compilerOptions: ts.CompilerOptions;
}

/**
 * The program each block belongs to: its page's tsconfig (by `block.page`, so a config setup file's block goes with
 * its own file), grouped by the compiler options it gives. Every tsconfig is read here, so a bad one stops the run
 * (ConfigError) before any example starts.
 */
export function programGroups(
  blocks: readonly CodeBlock[],
  base: Omit<ProgramOptions, "tsconfig">,
  tsconfigOf: TsconfigOf,
): { groups: ProgramGroup[]; groupOf(block: CodeBlock): ProgramGroup } {
  const byTsconfig = new Map<string | undefined, ProgramGroup>();
  const byKey = new Map<string, ProgramGroup>();
  const groupFor = (tsconfig: string | undefined): ProgramGroup => {
    let group = byTsconfig.get(tsconfig);
    if (!group) {
      const program: ProgramOptions = { ...base, ...(tsconfig ? { tsconfig } : {}) };
      const compilerOptions = compilerOptionsFor(program);
      const { configFilePath, ...rest } = compilerOptions;
      // TypeScript looks for ambient types (`types`, `/// <reference types>`) from the tsconfig's folder up, so
      // tsconfigs in two folders share a program only when they see the same node_modules/@types folders.
      const typeRoots = compilerOptions.typeRoots ?? atTypesAbove(typeof configFilePath === "string" ? path.dirname(configFilePath) : base.root);
      const key = JSON.stringify(sortKeys({ ...rest, typeRoots }));
      group = byKey.get(key) ?? { key, program, compilerOptions };
      byKey.set(key, group);
      byTsconfig.set(tsconfig, group);
    }
    return group;
  };
  const ofBlock = new Map<string, ProgramGroup>();
  for (const block of blocks) ofBlock.set(block.id, groupFor(tsconfigOf(block.page)));
  return {
    groups: [...byKey.values()],
    groupOf: (block) => ofBlock.get(block.id) ?? groupFor(tsconfigOf(block.page)),
  };
}

/** Existing node_modules/@types folders from `dir` up (TypeScript's default type roots). */
function atTypesAbove(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    const types = path.join(d, "node_modules", "@types");
    if (fs.existsSync(types)) out.push(types);
    if (path.dirname(d) === d) return out;
  }
}
