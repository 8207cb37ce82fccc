// Helpers for run-stage tests: real Markdown on disk → extract() → runPages(), with the harness built.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { fence, isAlive, lineOf, makeProject as makeTempProject, readPage, writeFiles } from "../helpers.js";
import { extract } from "../../src/extract/index.js";
import { runPages, type PageToRun, type RunOptions, type RunOutcome } from "../../src/run/index.js";
import type { CodeBlock, Page } from "../../src/types.js";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The parent spawns the compiled harness and runner (dist/src/runtime/{harness,runner}.js). `npm test` builds dist with tsc;
 * when only vitest runs, compile that one file the same way so tests never run a stale harness.
 */
export function ensureHarness(): void {
  for (const name of ["harness", "runner"]) {
    const src = path.join(REPO, `src/runtime/${name}.ts`);
    const out = path.join(REPO, `dist/src/runtime/${name}.js`);
    if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(src).mtimeMs) continue;
    esbuild.buildSync({ entryPoints: [src], outfile: out, format: "esm", platform: "node", target: "node20", logLevel: "silent" });
  }
}

export { writeFiles };

/** A temp ESM docs project (package.json with "type": "module" unless the files give one). */
export function makeProject(files: Record<string, string>): string {
  return makeTempProject({ "package.json": JSON.stringify({ name: "docs-project", type: "module" }), ...files }, "vd-run-");
}

export function loadPage(root: string, rel: string): { page: Page; blocks: CodeBlock[] } {
  const page = readPage(root, rel);
  return { page, blocks: extract(page).blocks };
}

export function options(root: string, extra: Partial<RunOptions> = {}): RunOptions {
  return { root, timeout: 10_000, concurrency: 2, memoryLimit: 256, warnings: "error", allowWarnings: [], env: {}, passEnv: [], ...extra };
}

export async function runDocs(root: string, pages: string[], extra: Partial<RunOptions> = {}): Promise<RunOutcome & { loaded: PageToRun[] }> {
  const loaded = pages.map((rel) => loadPage(root, rel));
  const outcome = await runPages(loaded, options(root, extra));
  return { ...outcome, loaded };
}

/**
 * One page of a run over several pages (tests whose pages share one run, each reading its own): the page's findings
 * in run order, the ids of its blocks that ran (in run order), its blocks, and the run's outputs (by block id).
 */
export function pageOfRun(run: RunOutcome & { loaded: PageToRun[] }, rel: string): { findings: RunOutcome["findings"]; ran: string[]; blocks: CodeBlock[]; outputs: RunOutcome["outputs"] } {
  const blocks = run.loaded.find((l) => l.page.path === rel)!.blocks;
  const ids = new Set(blocks.map((b) => b.id));
  return { findings: run.findings.filter((f) => f.page === rel), ran: [...run.ran].filter((id) => ids.has(id)), blocks, outputs: run.outputs };
}


export { fence, isAlive, lineOf };

