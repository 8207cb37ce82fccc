// Map findings on rendered pages back to template lines and group the same template line across variants.
// Pure: no filesystem, no console. The lead's writer writes `templateReportFiles` under reports/.
import pc from "picocolors";
import type { CheckResult, Finding, Severity, Span } from "../types.js";
import { type OriginMap, originOf } from "./origin.js";

export interface TemplateFindingGroup {
  template: string;
  /** Template or partial file the finding points at. */
  file: string;
  place: Span;
  /** The offending text came from variant data; `place` is the mustache that inserted it. */
  fromData: boolean;
  ruleId: string;
  severity: Severity;
  /** The message of the first affected variant. */
  message: string;
  /** Affected variants, in render order; `["*"]` for an error that stops every variant. */
  variants: string[];
  /** Where it shows in each rendered page. */
  pages: { variant: string; page: string; place: Span }[];
  findings: Finding[];
}

export interface TemplateReport {
  template: string;
  /** Every variant rendered from this template. */
  variants: string[];
  groups: TemplateFindingGroup[];
  errors: number;
  warnings: number;
  passed: boolean;
}

const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Messages differ across variants only by the page path and the variant's own name. */
export function normalizeMessage(message: string, variant: string, page: string): string {
  let m = message.split(page).join("<page>");
  if (variant && variant !== "*") m = m.replace(new RegExp(`\\b${escapeRe(variant)}\\b`, "gi"), "<variant>");
  return m.replace(/\s+/g, " ").trim();
}

/**
 * Attaches `finding.origin` to every finding on a rendered page (in place) and groups them, together with
 * template-stage findings (which already carry an origin), per template.
 */
export function mapToTemplates(result: CheckResult, maps: Map<string, OriginMap>, templateFindings: Finding[] = []): TemplateReport[] {
  const reports = new Map<string, TemplateReport>();
  const report = (template: string): TemplateReport => {
    let r = reports.get(template);
    if (!r) reports.set(template, (r = { template, variants: [], groups: [], errors: 0, warnings: 0, passed: true }));
    return r;
  };
  for (const map of maps.values()) report(map.template).variants.push(map.variant);
  const keyed = new Map<string, TemplateFindingGroup>();
  const add = (f: Finding, page: string): void => {
    const o = f.origin;
    if (!o) return;
    const file = o.file ?? o.template;
    const place = o.place ?? f.place;
    const key = [o.template, file, place.start.line, place.start.column, f.ruleId, normalizeMessage(f.message, o.variant, page)].join("\u0000");
    let g = keyed.get(key);
    if (!g) {
      g = { template: o.template, file, place, fromData: o.fromData ?? false, ruleId: f.ruleId, severity: f.severity,
        message: f.message, variants: [], pages: [], findings: [] };
      keyed.set(key, g);
      report(o.template).groups.push(g);
    }
    if (rank[f.severity] < rank[g.severity]) g.severity = f.severity;
    if (!g.variants.includes(o.variant)) g.variants.push(o.variant);
    if (f.stage !== "template") g.pages.push({ variant: o.variant, page, place: f.place });
    g.findings.push(f);
  };
  for (const pr of result.pages) {
    const map = maps.get(pr.page);
    if (!map) continue;
    for (const f of pr.findings) {
      const o = originOf(map, f.place);
      f.origin = { template: map.template, variant: map.variant, ...(o ? { file: o.file, place: o.place, fromData: o.fromData } : {}) };
      add(f, pr.page);
    }
  }
  for (const f of templateFindings) add(f, f.page);
  for (const r of reports.values()) {
    // Pages are checked in path order; list variants in render (variants file) order instead.
    const order = new Map(r.variants.map((v, i) => [v, i]));
    for (const g of r.groups) {
      g.variants.sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
      g.pages.sort((a, b) => (order.get(a.variant) ?? Infinity) - (order.get(b.variant) ?? Infinity));
    }
    r.groups.sort((a, b) => a.file.localeCompare(b.file) || a.place.start.line - b.place.start.line ||
      a.place.start.column - b.place.start.column || a.ruleId.localeCompare(b.ruleId));
    r.errors = r.groups.filter((g) => g.severity === "error").length;
    r.warnings = r.groups.filter((g) => g.severity === "warning").length;
    r.passed = r.errors === 0;
  }
  return [...reports.values()].sort((a, b) => a.template.localeCompare(b.template));
}

function variantList(g: TemplateFindingGroup, all: string[]): string {
  if (g.variants.includes("*")) return "all variants (the template did not render)";
  const n = g.variants.length;
  const of = all.length ? ` of ${all.length}` : "";
  return `${n}${of} variant${Math.max(n, all.length) === 1 ? "" : "s"}: ${g.variants.join(", ")}`;
}

/** Console lines for grouped template findings (pure; pass `color: false` for files and tests). */
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

/** Per-template report files, relative to the report directory. */
export function templateReportFiles(reports: TemplateReport[]): { path: string; content: string }[] {
  return reports.flatMap((r) => {
    const json = {
      template: r.template, variants: r.variants, passed: r.passed, errors: r.errors, warnings: r.warnings,
      groups: r.groups.map(({ findings, ...g }) => ({ ...g, count: findings.length })),
    };
    return [
      { path: `templates/${r.template}.json`, content: `${JSON.stringify(json, null, 2)}\n` },
      { path: `templates/${r.template}.md`, content: markdown(r) },
    ];
  });
}
