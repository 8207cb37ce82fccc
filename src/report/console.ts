// Console reporter: `page:line:col severity rule message`, a code frame, then one summary line.
import pc from "picocolors";
import type { CheckResult, Finding, ReportFile, ReportOptions, Reporter, Summary } from "../types.js";
import { formatTemplateGroups, hasTemplateGroups } from "./templates.js";
import { LEVELS } from "../types.js";

type Colors = ReturnType<typeof pc.createColors>;

export function codeFrame(source: string, f: Finding, c: Colors, context = 1): string {
  const lines = source.split(/\r?\n/);
  const { start, end } = f.place;
  if (start.line < 1 || start.line > lines.length) return "";
  const from = Math.max(1, start.line - context);
  const to = Math.min(lines.length, start.line + context);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const text = (lines[n - 1] ?? "").replace(/\t/g, " ");
    const mark = n === start.line ? c.red(">") : " ";
    out.push(`  ${mark} ${c.dim(String(n).padStart(width) + " |")} ${text}`);
    if (n === start.line) {
      const len = end.line === start.line ? Math.max(1, end.column - start.column) : Math.max(1, text.length - start.column + 1);
      out.push(`    ${" ".repeat(width)} ${c.dim("|")} ${" ".repeat(Math.max(0, start.column - 1))}${c.red("^".repeat(Math.min(len, 200)))}`);
    }
  }
  return out.join("\n");
}

const s0 = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * `12 passed (run 8 · typecheck 3 · parse 1)`: how far the passed blocks were checked, whenever some were not run
 * (one wording for the console, Markdown, GitHub and HTML reports). A result without the counts says `12 passed`.
 */
export function passedText(s: Summary): string {
  const levels = s.passedLevels;
  if (!levels || s.passed === 0 || levels.run === s.passed) return `${s.passed} passed`;
  const parts = [...LEVELS].reverse().filter((l) => levels[l] > 0).map((l) => `${l} ${levels[l]}`);
  return `${s.passed} passed (${parts.join(" · ")})`;
}

/** `levels: run 12 · typecheck 3 · none 2 — below run: placeholder 2, pseudo-code 1` (absent when there are no blocks). */
export function levelLine(result: CheckResult): string | undefined {
  const s = result.summary;
  if (!s.levels || s.blocks === 0) return undefined;
  const levels = [...LEVELS].reverse().filter((l) => s.levels[l] > 0).map((l) => `${l} ${s.levels[l]}`);
  const reasons = Object.entries(s.reasons ?? {})
    .sort((a, b) => b[1]! - a[1]! || (a[0] < b[0] ? -1 : 1))
    .map(([r, n]) => `${r} ${n}`);
  return `levels: ${levels.join(" · ")}${reasons.length ? ` — below run: ${reasons.join(", ")}` : ""}`;
}

export const consoleReporter: Reporter = {
  id: "console",
  render(result: CheckResult, options: ReportOptions): ReportFile[] {
    const c = pc.createColors(options.color ?? false);
    const out: string[] = [];
    // Findings from guide templates are shown once per template line (grouped across variants) below, not once
    // per rendered page; the summary line still counts every finding.
    const grouped = hasTemplateGroups(result);
    for (const page of result.pages) {
      if (options.onlyPages && !options.onlyPages.has(page.page)) continue;
      // Info findings (expected errors seen, notes) and errors the baseline knows stay in the files; the console
      // shows what needs action.
      for (const f of page.findings.filter((x) => x.severity !== "info" && !x.baselined && !(grouped && x.origin))) {
        const sev = f.severity === "error" ? c.red("error") : f.severity === "warning" ? c.yellow("warning") : c.blue("info");
        // Continuation lines (diffs, stacks) are indented so each finding reads as one unit.
        const message = f.message.split("\n").join("\n    ");
        out.push(`${c.bold(`${f.page}:${f.place.start.line}:${f.place.start.column}`)} ${sev} ${c.dim(f.ruleId)} ${message}`);
        const source = options.sources?.get(f.page);
        if (source) {
          const frame = codeFrame(source, f, c);
          if (frame) out.push(frame);
        }
        if (f.hint) out.push(`  ${c.dim("hint:")} ${f.hint.split("\n").join("\n        ")}`);
        if (f.suggestion) out.push(`  ${c.dim("suggestion:")} ${f.suggestion}`);
        if (f.origin?.file) {
          const at = f.origin.place ? `:${f.origin.place.start.line}:${f.origin.place.start.column}` : "";
          out.push(`  ${c.dim("from template:")} ${f.origin.file}${at} (variant ${f.origin.variant}${f.origin.fromData ? ", text from variant data" : ""})`);
        }
        out.push("");
      }
    }
    if (grouped) {
      // --watch: only the groups that show on a page whose result changed.
      const only = options.onlyPages;
      const templates = only ? result.templates!.map((r) => ({ ...r, groups: r.groups.filter((g) => g.pages.some((p) => only.has(p.page))) })) : result.templates!;
      const lines = formatTemplateGroups(templates, { color: options.color ?? false });
      if (lines.length) out.push(...lines, "");
    }
    const b = result.baseline;
    if (b) {
      const known = s0(result.summary.baselined ?? 0, "known error");
      const removable = b.removable.reduce((n, e) => n + e.count, 0);
      let line = `baseline ${b.file}: ${known} not failing the gate`;
      if (removable) line += `; ${s0(removable, "known error")} no longer fail${removable === 1 ? "s" : ""} (remove with --update-baseline)`;
      if (b.updated) {
        line += ` · updated: ${b.updated.removed} removed, ${b.updated.added} added`;
        if (b.updated.notAdded) line += `, ${s0(b.updated.notAdded, "new failure")} not added (--force adds them)`;
      }
      out.push(c.dim(line));
    }
    const s = result.summary;
    const levels = levelLine(result);
    if (levels) out.push(c.dim(levels));
    const failedPages = result.pages.filter((p) => p.findings.some((f) => f.severity === "error")).length;
    const other = result.pages.reduce((n, p) => n + p.counts.otherLanguage, 0);
    const head = s.errors ? c.red(c.bold(`✖ ${s.errors} error${s.errors === 1 ? "" : "s"}`)) : c.green(c.bold("✔ no errors"));
    const warn = s.warnings ? `, ${c.yellow(`${s.warnings} warning${s.warnings === 1 ? "" : "s"}`)}` : "";
    const pages = s.errors ? ` in ${failedPages} of ${s.pages} page${s.pages === 1 ? "" : "s"}` : ` · ${s.pages} page${s.pages === 1 ? "" : "s"}`;
    out.push(
      `${head}${warn}${pages} · ${s.blocks} block${s.blocks === 1 ? "" : "s"}: ${passedText(s)}, ${s.failed} failed, ${s.skipped} skipped · ${other} other-language fence${other === 1 ? "" : "s"} · ${formatDuration(result.timings.total ?? 0)}`,
    );
    return [{ content: out.join("\n") + "\n" }];
  },
};
