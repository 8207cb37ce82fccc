// --update and --fix: rewrite pages with only the changed spans touched, atomically.
import path from "node:path";
import type { ResolvedConfig } from "./config-types.js";
import { applyEdits } from "./edit.js";
import { outputEdits } from "./run/update.js";
import type { CheckRun } from "./pipeline.js";
import { writeFileAtomic } from "./report/writer.js";
import type { Fix } from "./types.js";

/** Applies --update (expected output) and --fix (rule fixes) edits; returns lines describing what changed. */
export function applyRewrites(run: CheckRun, config: ResolvedConfig): string[] {
  const changes: string[] = [];
  for (const [pagePath, page] of run.pages) {
    if (page.origin) continue; // rendered template pages are not files; fix the template instead
    const edits: Fix[] = [];
    const notes: string[] = [];
    if (config.update && run.run) {
      const blocks = run.blocks.get(pagePath) ?? [];
      const e = outputEdits(page, blocks, run.run.outputs);
      if (e.length) notes.push(`${e.length} output block${e.length === 1 ? "" : "s"} updated`);
      edits.push(...e);
    }
    if (config.fix) {
      const result = run.result.pages.find((p) => p.page === pagePath);
      const fixes = (result?.findings ?? []).filter((f) => f.fix).map((f) => f.fix!);
      if (fixes.length) notes.push(`${fixes.length} fix${fixes.length === 1 ? "" : "es"} applied`);
      edits.push(...fixes);
    }
    if (!edits.length) continue;
    const { text, dropped } = applyEdits(page.source, edits);
    if (text === page.source) continue;
    writeFileAtomic(path.join(config.root, pagePath), text);
    changes.push(`${pagePath}: ${notes.join(", ")}${dropped.length ? ` (${dropped.length} overlapping edit(s) skipped; run again)` : ""}`);
  }
  return changes;
}
