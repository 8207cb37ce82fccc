// Finding the native TypeScript 7 compiler in the project (option `typescript`, src/typecheck/native.ts runs it).
// Loaded on the main thread by the pipeline: it reads package.json files only and never loads a compiler.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** The option: `"6"` TypeScript 6 only; `"native"` the native compiler (a note when it cannot be used); `"auto"` it when installed. */
export type TypescriptMode = "6" | "auto" | "native";

/** A native compiler found in the project: where its API module is and its version (part of the cache key). */
export interface NativeCompiler {
  /** The package it came from (`typescript`, `typescript7`, `@typescript/native-preview`). */
  name: string;
  version: string;
  /** Absolute path of the package's `unstable/sync` API module. */
  api: string;
}

/** The `typescript` option as the programs carry it (plain data: it crosses to the analysis thread). */
export interface NativeSetting {
  mode: Exclude<TypescriptMode, "6">;
  compiler?: NativeCompiler;
  /** Why no native compiler was found (mode `native`: shown as a note). */
  missing?: string;
}

/**
 * Packages looked for, in order, from the project root (and the folders above it, as Node resolves): the project's
 * own `typescript` when it is 7 or later, the side-by-side alias `typescript7` (`npm i -D typescript7@npm:typescript@7`,
 * for projects whose tooling still needs TypeScript 6 as `typescript`), and the nightly `@typescript/native-preview`.
 * validate-docs does not ship one: the platform binary is ≈ 25 MB, and what it changes is speed, not results.
 */
const CANDIDATES = ["typescript", "typescript7", "@typescript/native-preview"];

export function findNativeCompiler(root: string): NativeCompiler | { missing: string } {
  const require = createRequire(path.join(root, "package.json"));
  const seen: string[] = [];
  for (const name of CANDIDATES) {
    let manifest: string;
    try {
      manifest = require.resolve(`${name}/package.json`);
    } catch {
      continue;
    }
    let version = "";
    try {
      version = String((JSON.parse(fs.readFileSync(manifest, "utf8")) as { version?: unknown }).version ?? "");
    } catch {
      continue;
    }
    const major = Number(/^(\d+)\./.exec(version)?.[1]);
    if (!(major >= 7)) {
      seen.push(`${name}@${version}`);
      continue;
    }
    const api = path.join(path.dirname(manifest), "dist/api/sync/api.js");
    if (!fs.existsSync(api)) {
      seen.push(`${name}@${version} (no dist/api/sync/api.js)`);
      continue;
    }
    return { name, version, api };
  }
  const found = seen.length ? ` (found ${seen.join(", ")})` : "";
  return {
    missing: `no native TypeScript compiler (typescript@7 or later, typescript7, @typescript/native-preview) is installed for ${root}${found}`,
  };
}

/** The setting the programs carry for a configured mode; undefined for `"6"`. */
export function nativeSetting(mode: TypescriptMode, root: string): NativeSetting | undefined {
  if (mode === "6") return undefined;
  const found = findNativeCompiler(root);
  return "missing" in found ? { mode, missing: found.missing } : { mode, compiler: found };
}
