// Template sections of the reports, from CheckResult.templates (grouped in the pipeline's merge step): console
// lines, and reports/templates/<template>.{json,md}. Pure.
import pc from "picocolors";
import type { CheckResult, ReportFile, TemplateFindingGroup, TemplateReport } from "../types.js";

function variantList(g: TemplateFindingGroup, all: string[]): string {
  if (g.variants.includes("*")) return "all variants (the template did not render)";
  const n = g.variants.length;
  const of = all.length ? ` of ${all.length}` : "";
  return `${n}${of} variant${Math.max(n, all.length) === 1 ? "" : "s"}: ${g.variants.join(", ")}`;
}

/** True when the console shows this result's template findings grouped (and not once per rendered page). */
export function hasTemplateGroups(result: CheckResult): boolean {
  return Boolean(result.templates?.some((r) => r.groups.length));
}

/** Console lines for grouped template findings. */
export function formatTemplateGroups(reports: TemplateReport[], opts: { color?: boolean } = {}): string[] {
  const c = pc.createColors(opts.color ?? false);
  const lines: string[] = [];
  for (const r of reports) {
    if (!r.groups.length) continue;
    const n = r.variants.length;
    lines.push(c.underline(`${r.template}`) + c.dim(n ? ` (template, ${n} variant${n === 1 ? "" : "s"})` : " (no variant rendered)"));
    for (const g of r.groups) {
      const sev = g.severity === "error" ? c.red("error") : g.severity === "warning" ? c.yellow("warning") : c.blue("info");
      const via = g.file !== r.template ? c.dim(" (partial)") : "";
      lines.push(`  ${g.file}:${g.place.start.line}:${g.place.start.column}${via}  ${sev}  ${g.message}  ${c.dim(g.ruleId)}`);
      if (g.fromData) lines.push(c.dim(`    text comes from variant data inserted by this mustache`));
      lines.push(`    affects ${variantList(g, r.variants)}`);
      const first = g.pages[0];
      if (first) {
        const more = g.pages.length > 1 ? ` (+${g.pages.length - 1} more)` : "";
        lines.push(c.dim(`    rendered: ${first.page}:${first.place.start.line}:${first.place.start.column}${more}`));
      }
    }
  }
  return lines;
}

/** `templates/<template>.json`. */
export function templateJsonFiles(reports: TemplateReport[] = []): ReportFile[] {
  return reports.map((r) => {
    const json = { template: r.template, variants: r.variants, passed: r.passed, errors: r.errors, warnings: r.warnings, groups: r.groups };
    return { path: `templates/${r.template}.json`, content: `${JSON.stringify(json, null, 2)}\n` };
  });
}

/** `templates/<template>.md`. */
export function templateMarkdownFiles(reports: TemplateReport[] = []): ReportFile[] {
  return reports.map((r) => ({ path: `templates/${r.template}.md`, content: markdown(r) }));
}

function markdown(r: TemplateReport): string {
  const out = [`# Template ${r.template}`, "", `Variants (${r.variants.length}): ${r.variants.join(", ") || "none"}`, "",
    r.passed ? "**Passed**: no error in any variant." : `**Failed**: ${r.errors} error${r.errors === 1 ? "" : "s"}, ${r.warnings} warning${r.warnings === 1 ? "" : "s"} (grouped by template line).`, ""];
  if (r.groups.length) {
    out.push("| Where | Severity | Rule | Message | Variants |", "| --- | --- | --- | --- | --- |");
    const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
    for (const g of r.groups) {
      out.push(`| \`${g.file}:${g.place.start.line}:${g.place.start.column}\`${g.fromData ? " (variant data)" : ""} | ${g.severity} | \`${g.ruleId}\` | ${cell(g.message)} | ${cell(variantList(g, r.variants))} |`);
    }
    out.push("");
  }
  return out.join("\n");
}
