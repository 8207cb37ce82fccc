// --update and --fix: apply the `fix` edits findings carry, touching only those spans, atomically. The caller then
// checks again, so the exit code and the reports describe the pages as written (as ESLint reports after fixing).
import path from "node:path";
import type { ResolvedConfig } from "./config-types.js";
import { applyEdits } from "./edit.js";
import type { CheckRun } from "./pipeline.js";
import { writeFileAtomic } from "./report/writer.js";
import type { Finding } from "./types.js";

/** Which findings' fixes a run applies: `--update` the expected-output rewrites, `--fix` everything else. */
function wanted(f: Finding, config: ResolvedConfig): boolean {
  if (!f.fix) return false;
  return f.ruleId === "run/output-mismatch" ? config.update : config.fix;
}

/** Applies the edits; returns one line per changed page and per fence `--update` left alone, and how many pages changed. */
export function applyRewrites(run: CheckRun, config: ResolvedConfig): { lines: string[]; changed: number } {
  const lines: string[] = [];
  let changed = 0;
  for (const pageResult of run.result.pages) {
    const page = run.pages.get(pageResult.page);
    if (!page || page.origin) continue; // rendered template pages are not files; fix the template instead
    if (config.update) lines.push(...leftAlone(pageResult.page, pageResult.findings));
    const findings = pageResult.findings.filter((f) => wanted(f, config));
    if (!findings.length) continue;
    const { text, applied, dropped } = applyEdits(page.source, findings.map((f) => f.fix!));
    if (text === page.source) continue;
    writeFileAtomic(path.join(config.root, page.path), text);
    changed++;
    const done = new Set(applied);
    const updates = findings.filter((f) => done.has(f.fix!) && f.ruleId === "run/output-mismatch").length;
    const fixes = findings.filter((f) => done.has(f.fix!)).length - updates;
    const notes = [
      ...(updates ? [`${updates} output block${updates === 1 ? "" : "s"} updated`] : []),
      ...(fixes ? [`${fixes} fix${fixes === 1 ? "" : "es"} applied`] : []),
    ];
    lines.push(`${page.path}: ${notes.join(", ")}${dropped.length ? ` (${dropped.length} overlapping edit(s) left; run again)` : ""}`);
  }
  return { lines, changed };
}

/** `--update` never rewrites the expected output of a block that failed, nor from a cut-short capture: say so. */
function leftAlone(page: string, findings: Finding[]): string[] {
  const lines: string[] = [];
  for (const f of findings) {
    if (f.ruleId !== "run/output-mismatch" || f.fix || !f.blockId) continue;
    // `// =>` value assertions have no fix by design; only output fences are listed.
    if (!f.message.includes("differs from the `output` fence")) continue;
    const cause = findings.find((o) => o.blockId === f.blockId && o.stage === "run" && o.severity === "error" && o.ruleId !== f.ruleId);
    const why = cause ? `the block failed (${cause.ruleId})` : "the captured output was cut short";
    lines.push(`${page}:${f.place.start.line}: output fence left alone: ${why}`);
  }
  return lines;
}
