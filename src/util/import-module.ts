// One way to import a user's module file (a config file, a rule plugin): JavaScript is imported as it is;
// TypeScript (.ts, .mts, .cts, .tsx) is bundled with esbuild first (its own relative imports bundled, packages left
// external) to a temporary .mjs next to it, so bare imports still resolve from the file's directory, imported, and
// the temporary file removed (also when the process ends while it loads). A module whose top-level `await` never
// settles is caught by the CLI's exit guard (cli.ts: exit 2 naming what it was loading).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";
import { esbuildApi } from "./esbuild.js";

export const TS_MODULE = /\.(ts|mts|cts|tsx)$/;

/** A TypeScript module esbuild could not bundle; `where` is file:line:column of the first error (or the file). */
export class ModuleBuildError extends Error {
  constructor(
    readonly where: string,
    readonly text: string,
  ) {
    super(`${where}: ${text}`);
    this.name = "ModuleBuildError";
  }
}

/** Imports `file` (absolute), bundling TypeScript first; esbuild `plugins` can redirect imports while bundling. */
export async function importModule(file: string, options: { plugins?: Plugin[] } = {}): Promise<unknown> {
  if (!TS_MODULE.test(file)) return import(pathToFileURL(file).href);
  const esbuild = esbuildApi();
  let code: string;
  try {
    const result = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      write: false,
      logLevel: "silent",
      plugins: options.plugins ?? [],
    });
    code = result.outputFiles[0]!.text;
  } catch (err) {
    const first = (err as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}` : path.relative(process.cwd(), file) || file;
    throw new ModuleBuildError(where, first?.text ?? (err instanceof Error ? err.message : String(err)));
  }
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.validate-docs.mjs`);
  const remove = () => fs.rmSync(temp, { force: true });
  // Also when the process ends while the module loads (a top-level `await` that never settles, process.exit()).
  process.once("exit", remove);
  fs.writeFileSync(temp, code);
  try {
    return await import(pathToFileURL(temp).href);
  } finally {
    remove();
    process.off("exit", remove);
  }
}
