// GitHub Actions reporter: one workflow command per finding (`::error file=…,line=…::message`), shown as annotations
// on the pull request's diff, and a Markdown job summary for $GITHUB_STEP_SUMMARY. Chosen automatically under
// GITHUB_ACTIONS=true next to the console reporter (src/report/select.ts).
import type { CheckResult, Finding, ReportFile, ReportOptions, Reporter } from "../types.js";
import { formatDuration, passedText } from "./console.js";
import { pageStatus } from "./markdown.js";

const COMMAND = { error: "error", warning: "warning", info: "notice" } as const;

/** Message data as the runner's command parser requires: `%`, CR and LF encoded. */
export const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
/** Property values additionally encode `:` and `,`, which separate properties. */
export const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/** Posix path of the page from the repository root (GITHUB_WORKSPACE), which annotations are relative to. */
function annotationPath(result: CheckResult, page: string, workspace?: string): string {
  if (!workspace) return page;
  const root = result.root.replace(/\\/g, "/").replace(/\/+$/, "");
  const ws = workspace.replace(/\\/g, "/").replace(/\/+$/, "");
  if (root === ws) return page;
  if (root.startsWith(`${ws}/`)) return `${root.slice(ws.length + 1)}/${page}`;
  return page;
}

function annotation(result: CheckResult, f: Finding, workspace?: string): string {
  const props = [
    `file=${escapeProperty(annotationPath(result, f.page, workspace))}`,
    `line=${f.place.start.line}`,
    `col=${f.place.start.column}`,
    `endLine=${Math.max(f.place.end.line, f.place.start.line)}`,
    ...(f.place.end.line === f.place.start.line ? [`endColumn=${f.place.end.column}`] : []),
    `title=${escapeProperty(`validate-docs ${f.ruleId}`)}`,
  ];
  const text = [f.message, f.hint ? `hint: ${f.hint}` : ""].filter(Boolean).join("\n");
  return `::${COMMAND[f.severity]} ${props.join(",")}::${escapeData(text)}`;
}

/** Table cells: pipes and line breaks would end the cell; HTML is escaped so a message cannot inject markup. */
const cell = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");

/** The job summary: verdict, counts, and the failing findings (bounded, GitHub caps a summary at 1 MiB). */
export function stepSummary(result: CheckResult, limit = 200): string {
  const s = result.summary;
  const lines = [
    `## validate-docs: ${s.errors ? `✖ ${s.errors} error${s.errors === 1 ? "" : "s"}` : "✔ no errors"}`,
    "",
    `${s.pages} page(s) · ${s.blocks} block(s): ${passedText(s)}, ${s.failed} failed, ${s.skipped} skipped · ${s.warnings} warning(s) · ${formatDuration(result.timings.total ?? 0)}`,
    "",
  ];
  const failing = result.pages.filter((p) => pageStatus(p) === "failed");
  if (failing.length) {
    lines.push("| where | rule | message |", "| --- | --- | --- |");
    const errors = failing.flatMap((p) => p.findings.filter((f) => f.severity === "error"));
    for (const f of errors.slice(0, limit)) {
      lines.push(`| \`${f.page}:${f.place.start.line}:${f.place.start.column}\` | \`${f.ruleId}\` | ${cell(f.message)} |`);
    }
    if (errors.length > limit) lines.push("", `… and ${errors.length - limit} more error(s); see the full report.`);
    lines.push("");
  }
  return lines.join("\n");
}

export const githubReporter: Reporter = {
  id: "github",
  render(result: CheckResult, options: ReportOptions): ReportFile[] {
    // Infos are expected findings (expect-error seen): not worth an annotation.
    const commands = result.pages.flatMap((p) => p.findings.filter((f) => f.severity !== "info").map((f) => annotation(result, f, options.workspace)));
    return [
      { content: commands.length ? commands.join("\n") + "\n" : "" },
      { destination: "step-summary", content: stepSummary(result) },
    ];
  },
};
