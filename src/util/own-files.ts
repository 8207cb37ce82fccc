// Where the tool's own files are. `npm run build` compiles src/ to dist/src (tsc, module by module: the library
// API, `validate-docs/tester`, `validate-docs/ast`, the run stage's child processes) and then bundles the CLI and
// its two worker threads from there into dist/bundle (scripts/bundle.mjs: a few files instead of ≈ 400 ES modules
// to resolve, load and link in every run, docs/performance.md). A module inlined into the bundle cannot find a
// sibling file relative to its own URL, so every module that needs one of the tool's files asks here.
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Running from dist/bundle (this module is inlined into one of its files). */
export const BUNDLED: boolean = path.basename(here) === "bundle";

/** The compiled modules (dist/src), or src/ when the modules run from sources (the unit tests). */
export const SRC_DIR: string = BUNDLED ? path.join(here, "..", "src") : path.dirname(here);

/** `rel` under SRC_DIR: the compiled module `runtime/harness.js`, the shim `typescript.cjs`… */
export function ownFile(rel: string): string {
  return path.join(SRC_DIR, ...rel.split("/"));
}

/**
 * A worker thread's entry module: the bundled one when this is the bundle (scripts/bundle.mjs names it after the
 * module, `analyze/worker` → `analyze-worker.js`), else the compiled module.
 */
export function workerEntry(name: "analyze/worker" | "run/worker"): string {
  return BUNDLED ? path.join(here, `${name.replace("/", "-")}.js`) : ownFile(`${name}.js`);
}
