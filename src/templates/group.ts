// Group findings on rendered pages (and template-stage findings) per template line across variants. Pure: the
// pipeline's merge step calls attachOrigin on every finding of a rendered page and groupTemplates on the result;
// reporters only print `CheckResult.templates`.
import type { Finding, PageOrigin, PageResult, Severity, TemplateFindingGroup, TemplateReport } from "../types.js";
import { originOf } from "./origin.js";

export type { TemplateFindingGroup, TemplateReport } from "../types.js";

const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Messages differ across variants only by the page path and the variant's own name. */
export function normalizeMessage(message: string, variant: string, page: string): string {
  let m = message.split(page).join("<page>");
  if (variant && variant !== "*") m = m.replace(new RegExp(`\\b${escapeRe(variant)}\\b`, "gi"), "<variant>");
  return m.replace(/\s+/g, " ").trim();
}

/** The finding with `origin` set: the template, the variant and, when the map knows it, the template position. */
export function attachOrigin(f: Finding, origin: PageOrigin): Finding {
  const o = originOf(origin.map, f.place);
  return { ...f, origin: { template: origin.template, variant: origin.variant, ...(o ? { file: o.file, place: o.place, fromData: o.fromData } : {}) } };
}

/**
 * Per template: every variant rendered (`rendered`, in render order) and the findings that carry an `origin`
 * (on rendered pages, and template-stage findings), grouped per template line and rule across variants.
 */
export function groupTemplates(pages: PageResult[], rendered: { template: string; variant: string }[]): TemplateReport[] {
  const reports = new Map<string, TemplateReport>();
  const report = (template: string): TemplateReport => {
    let r = reports.get(template);
    if (!r) reports.set(template, (r = { template, variants: [], groups: [], errors: 0, warnings: 0, passed: true }));
    return r;
  };
  for (const p of rendered) report(p.template).variants.push(p.variant);
  const keyed = new Map<string, TemplateFindingGroup>();
  for (const pr of pages) {
    for (const f of pr.findings) {
      const o = f.origin;
      if (!o) continue;
      const file = o.file ?? o.template;
      const place = o.place ?? f.place;
      const key = [o.template, file, place.start.line, place.start.column, f.ruleId, normalizeMessage(f.message, o.variant, pr.page)].join("\u0000");
      let g = keyed.get(key);
      if (!g) {
        g = { template: o.template, file, place, fromData: o.fromData ?? false, ruleId: f.ruleId, severity: f.severity,
          message: f.message, variants: [], pages: [], count: 0 };
        keyed.set(key, g);
        report(o.template).groups.push(g);
      }
      if (rank[f.severity] < rank[g.severity]) g.severity = f.severity;
      if (!g.variants.includes(o.variant)) g.variants.push(o.variant);
      if (f.stage !== "template") g.pages.push({ variant: o.variant, page: pr.page, place: f.place });
      g.count++;
    }
  }
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
