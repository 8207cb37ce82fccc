// Markdown reporter: index.md (summary + a table of pages) and pages/<page>.md (blocks and findings).
import type { BlockResult, CheckResult, Finding, PageResult, ReportFile, Reporter } from "../types.js";
import { LEVELS } from "../types.js";
import { passedText } from "./console.js";
import { pageReportPath } from "./paths.js";
import { templateMarkdownFiles } from "./templates.js";

/** Table-cell safe: pipes escaped, HTML-significant characters as entities, line breaks kept as <br>. */
const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");

export function pageStatus(page: PageResult): "failed" | "passed" | "skipped" {
  if (page.findings.some((f) => f.severity === "error")) return "failed";
  if (page.skipReason !== undefined || (page.blocks.length > 0 && page.blocks.every((b) => b.status === "skipped"))) return "skipped";
  return "passed";
}

function findingLine(f: Finding): string {
  const where = `${f.place.start.line}:${f.place.start.column}`;
  const hint = f.hint ? `<br>hint: ${esc(f.hint)}` : "";
  return `| ${where} | ${f.severity} | \`${f.ruleId}\` | ${esc(f.message)}${hint} |`;
}

/** `run 3 · typecheck 1 (placeholder 1)`: blocks per level, with the reasons of those below run. */
function countLevels(blocks: readonly BlockResult[]): string {
  const parts: string[] = [];
  for (const level of [...LEVELS].reverse()) {
    const at = blocks.filter((b) => b.level === level);
    if (at.length === 0) continue;
    const reasons = new Map<string, number>();
    for (const b of at) if (b.stop) reasons.set(b.stop.reason, (reasons.get(b.stop.reason) ?? 0) + 1);
    const why = [...reasons].map(([r, n]) => `${r} ${n}`).join(", ");
    parts.push(`${level} ${at.length}${why ? ` (${why})` : ""}`);
  }
  return parts.join(" · ") || "—";
}

function renderPage(result: CheckResult, page: PageResult): string {
  const lines = [`# ${page.page}`, ""];
  lines.push(`Status: **${pageStatus(page)}**${page.skipReason !== undefined ? ` (page skipped: ${page.skipReason || "no reason given"})` : ""}`, "");
  const c = page.counts;
  lines.push(`Fences: ${c.fences} · checked: ${c.checked} · skipped: ${c.skipped} · output assertions: ${c.outputs} · other language: ${c.otherLanguage}`, "");
  if (page.origin) lines.push(`Rendered from template \`${page.origin.template}\`, variant \`${page.origin.variant}\`.`, "");
  lines.push("## Blocks", "");
  if (page.blocks.length === 0) lines.push("No TypeScript or JavaScript blocks.", "");
  else {
    lines.push(`Levels: ${countLevels(page.blocks)}`, "");
    lines.push("| block | lang | status | level | checks | note |", "| --- | --- | --- | --- | --- | --- |");
    for (const b of page.blocks) {
      const stopped = b.skipReason ? `skipped: ${esc(b.skipReason)}` : b.stop ? `stopped: ${b.stop.reason} — ${esc(b.stop.detail)}` : "";
      const ranWith = b.substitutes?.length ? `ran with ${b.substitutes.map((s) => `${esc(s.placeholder)} as \`${s.value}\``).join(", ")}` : "";
      const note = [stopped, ranWith].filter(Boolean).join("; ");
      lines.push(`| \`${b.id}\`${b.title ? ` (${esc(b.title)})` : ""} | ${b.lang} | ${b.status} | ${b.level ?? "—"} | ${b.checks.join(", ") || "—"} | ${note} |`);
    }
    lines.push("");
  }
  lines.push("## Findings", "");
  if (page.findings.length === 0) lines.push("None.", "");
  else {
    lines.push("| at | severity | rule | message |", "| --- | --- | --- | --- |");
    for (const f of page.findings) lines.push(findingLine(f));
    lines.push("");
  }
  lines.push(`<sub>${result.tool.name} ${result.tool.version}, report format v${result.version}</sub>`, "");
  return lines.join("\n");
}

export const markdownReporter: Reporter = {
  id: "markdown",
  render(result: CheckResult): ReportFile[] {
    const s = result.summary;
    const lines = ["# validate-docs report", ""];
    lines.push(
      `**${s.errors ? "FAILED" : "PASSED"}** — ${s.errors} error(s), ${s.warnings} warning(s) · ${s.pages} page(s) · ${s.blocks} block(s): ${passedText(s)}, ${s.failed} failed, ${s.skipped} skipped`,
      "",
      `Levels reached: ${countLevels(result.pages.flatMap((p) => p.blocks))}`,
      "",
      "| page | status | blocks | failed | skipped | other fences | findings |",
      "| --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const p of result.pages) {
      const link = pageReportPath(p.page, "md");
      const failed = p.blocks.filter((b) => b.status === "failed").length;
      lines.push(`| [${esc(p.page)}](${encodeURI(link)}) | ${pageStatus(p)} | ${p.blocks.length} | ${failed} | ${p.counts.skipped} | ${p.counts.otherLanguage} | ${p.findings.length} |`);
    }
    lines.push("");
    const files: ReportFile[] = [{ path: "index.md", content: lines.join("\n") }];
    for (const p of result.pages) files.push({ path: pageReportPath(p.page, "md"), content: renderPage(result, p) });
    files.push(...templateMarkdownFiles(result.templates));
    return files;
  },
};
