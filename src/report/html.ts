// HTML reporter: one self-contained index.html (no network: inline CSS, inline script, the data as JSON).
// The page is built in the browser with DOM APIs and textContent only, so no finding text is ever parsed as HTML.
// Filters by rule, severity, stage and level; tested in headless Chromium (test/report/html.test.ts).
import type { CheckResult, Finding, PageResult, ReportFile, ReportOptions, Reporter } from "../types.js";
import { passedText } from "./console.js";
import { ruleDocUrl } from "./links.js";
import { pageStatus } from "./markdown.js";

interface FrameLine {
  n: number;
  text: string;
  mark: boolean;
}

/** The level a block reached, whatever shape the result gives it (a name, or an object naming it); else undefined. */
export function blockLevel(block: unknown): string | undefined {
  const level = (block as { level?: unknown } | undefined)?.level;
  if (typeof level === "string") return level;
  if (level && typeof level === "object") {
    const o = level as Record<string, unknown>;
    for (const key of ["reached", "name", "level"]) if (typeof o[key] === "string") return o[key] as string;
  }
  return undefined;
}

function frame(source: string | undefined, f: Finding, context = 2): FrameLine[] {
  if (!source) return [];
  const lines = source.split(/\r?\n/);
  const { start } = f.place;
  if (start.line < 1 || start.line > lines.length) return [];
  const out: FrameLine[] = [];
  for (let n = Math.max(1, start.line - context); n <= Math.min(lines.length, start.line + context); n++) {
    out.push({ n, text: lines[n - 1]!, mark: n >= start.line && n <= f.place.end.line });
  }
  return out;
}

function pageData(result: CheckResult, page: PageResult, sources: ReadonlyMap<string, string> | undefined) {
  const levels = new Map(page.blocks.map((b) => [b.id, blockLevel(b)]));
  return {
    page: page.page,
    status: pageStatus(page),
    skipReason: page.skipReason,
    counts: page.counts,
    blocks: page.blocks.map((b) => ({ id: b.id, line: b.line, lang: b.lang, status: b.status, skipReason: b.skipReason, level: levels.get(b.id), checks: b.checks })),
    findings: page.findings.map((f) => ({
      rule: f.ruleId,
      severity: f.severity,
      stage: f.stage,
      level: f.blockId ? levels.get(f.blockId) : undefined,
      line: f.place.start.line,
      column: f.place.start.column,
      blockId: f.blockId,
      message: f.message,
      hint: f.hint,
      suggestion: f.suggestion,
      help: ruleDocUrl(f, result.tool.version),
      frame: frame(sources?.get(f.page), f),
    })),
  };
}

/** JSON that can sit inside <script>: `<` (and the JS line separators) escaped so `</script>` cannot end it. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");

const STYLE = `
:root { font: 14px/1.45 system-ui, sans-serif; color: #1f2328; }
body { margin: 24px; }
h1 { font-size: 20px; margin: 0 0 8px; }
.verdict.failed { color: #cf222e; } .verdict.passed { color: #1a7f37; }
.counts span { margin-right: 14px; }
table { border-collapse: collapse; margin: 12px 0; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; vertical-align: top; }
tr.failed td.status { color: #cf222e; font-weight: 600; } tr.passed td.status { color: #1a7f37; } tr.skipped td.status { color: #9a6700; }
.filters { display: flex; gap: 16px; align-items: center; padding: 8px 0; position: sticky; top: 0; background: #fff; border-bottom: 1px solid #d0d7de; }
.filters label { display: flex; gap: 4px; align-items: center; }
section.page { margin: 18px 0; }
section.page h2 { font-size: 16px; margin: 0 0 6px; }
.finding { border-left: 4px solid #d0d7de; padding: 4px 10px; margin: 8px 0; }
.finding.error { border-color: #cf222e; } .finding.warning { border-color: #bf8700; } .finding.info { border-color: #0969da; }
.finding .head { font-weight: 600; } .finding .rule { font-family: ui-monospace, monospace; color: #57606a; margin: 0 6px; }
.finding .msg { white-space: pre-wrap; font-family: ui-monospace, monospace; margin: 4px 0; }
.finding .hint { color: #57606a; white-space: pre-wrap; }
pre.frame { background: #f6f8fa; padding: 6px; margin: 4px 0; overflow-x: auto; }
pre.frame .mark { background: #ffebe9; display: inline-block; min-width: 100%; }
.hidden { display: none !important; }
`;

// The browser side. Plain DOM, no framework: builds the tables from DATA and applies the filters.
const SCRIPT = `
const DATA = JSON.parse(document.getElementById("validate-docs-data").textContent);
const el = (tag, props, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null) continue;
    if (k === "text") e.textContent = v; else if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
};
const s = DATA.summary;
document.getElementById("verdict").textContent = s.errors ? "\\u2716 " + s.errors + " error" + (s.errors === 1 ? "" : "s") : "\\u2714 no errors";
document.getElementById("verdict").className = "verdict " + (s.errors ? "failed" : "passed");
const counts = document.getElementById("counts");
for (const [k, v] of [["pages", s.pages], ["blocks", s.blocks], ["passed", DATA.passed], ["failed", s.failed], ["skipped", s.skipped], ["errors", s.errors], ["warnings", s.warnings]]) {
  counts.append(el("span", { "data-count": k, text: k + ": " + v }));
}
const all = DATA.pages.flatMap((p) => p.findings);
const FILTERS = ["rule", "severity", "stage", "level"];
const filters = document.getElementById("filters");
const selects = {};
for (const name of FILTERS) {
  const values = [...new Set(all.map((f) => f[name]).filter((v) => v !== undefined && v !== null))].sort();
  const select = el("select", { id: "filter-" + name, "data-filter": name }, el("option", { value: "", text: "all" }));
  for (const v of values) select.append(el("option", { value: v, text: v }));
  select.addEventListener("change", apply);
  selects[name] = select;
  const label = el("label", { text: name + " " }, select);
  // A filter with nothing to choose (no level data in this result) stays out of the way.
  if (values.length === 0) label.classList.add("hidden");
  filters.append(label);
}
const shown = el("span", { id: "shown" });
filters.append(shown);
const tbody = document.querySelector("#pages tbody");
const sections = document.getElementById("sections");
const rows = [];
DATA.pages.forEach((p, i) => {
  const anchor = "page-" + i;
  const passed = p.blocks.filter((b) => b.status === "passed").length;
  const failed = p.blocks.filter((b) => b.status === "failed").length;
  const tr = el("tr", { class: p.status, "data-page": p.page },
    el("td", {}, el("a", { href: "#" + anchor, text: p.page })),
    el("td", { class: "status", text: p.status }),
    el("td", { text: String(p.blocks.length) }), el("td", { text: String(passed) }), el("td", { text: String(failed) }),
    el("td", { text: String(p.counts.skipped) }), el("td", { text: String(p.counts.otherLanguage) }),
    el("td", { class: "nfindings", text: String(p.findings.length) }));
  tbody.append(tr);
  const section = el("section", { class: "page", id: anchor, "data-page": p.page },
    el("h2", {}, el("a", { href: DATA.linkBase + p.page, text: p.page }), " \\u2014 " + p.status));
  if (p.skipReason !== undefined) section.append(el("p", { text: "page skipped: " + (p.skipReason || "no reason given") }));
  for (const b of p.blocks.filter((b) => b.status === "skipped")) section.append(el("p", { class: "skip", text: "block " + b.id + " skipped: " + (b.skipReason || "") }));
  const items = [];
  for (const f of p.findings) {
    const item = el("div", { class: "finding " + f.severity, "data-rule": f.rule, "data-severity": f.severity, "data-stage": f.stage, "data-level": f.level },
      el("div", { class: "head" },
        el("a", { href: DATA.linkBase + p.page + "#L" + f.line, text: p.page + ":" + f.line + ":" + f.column }),
        " " + f.severity,
        f.help ? el("a", { class: "rule", href: f.help, text: f.rule }) : el("span", { class: "rule", text: f.rule }),
        el("span", { class: "stage", text: "(" + f.stage + (f.level ? ", level " + f.level : "") + ")" })),
      el("div", { class: "msg", text: f.message }),
      f.hint ? el("div", { class: "hint", text: "hint: " + f.hint }) : null,
      f.suggestion ? el("div", { class: "hint", text: "suggestion: " + f.suggestion }) : null);
    if (f.frame.length) {
      const width = String(f.frame[f.frame.length - 1].n).length;
      const pre = el("pre", { class: "frame" });
      for (const l of f.frame) pre.append(el("span", { class: l.mark ? "mark" : "", text: String(l.n).padStart(width) + " | " + l.text }), "\\n");
      item.append(pre);
    }
    items.push({ f, item });
    section.append(item);
  }
  sections.append(section);
  rows.push({ tr, section, items });
});
function apply() {
  const want = Object.fromEntries(FILTERS.map((n) => [n, selects[n].value]));
  const active = FILTERS.some((n) => want[n]);
  let visible = 0;
  for (const r of rows) {
    let n = 0;
    for (const { f, item } of r.items) {
      const ok = FILTERS.every((k) => !want[k] || f[k] === want[k]);
      item.classList.toggle("hidden", !ok);
      if (ok) n++;
    }
    visible += n;
    r.tr.querySelector(".nfindings").textContent = active ? n + " of " + r.items.length : String(r.items.length);
    r.tr.classList.toggle("hidden", active && n === 0);
    r.section.classList.toggle("hidden", active && n === 0);
  }
  shown.textContent = "showing " + visible + " of " + all.length + " findings";
}
apply();
`;

export const htmlReporter: Reporter = {
  id: "html",
  render(result: CheckResult, options: ReportOptions): ReportFile[] {
    const data = {
      tool: result.tool,
      summary: result.summary,
      // "12 (run 8 · typecheck 3 · parse 1)": how far the passed blocks were checked, worded as in the other reports.
      passed: passedText(result.summary).replace(/ passed/, ""),
      // Links to the pages, relative from the report file to the root (set by the writer's caller; "" = as is).
      linkBase: options.rootLink ?? "",
      pages: result.pages.map((p) => pageData(result, p, options.sources)),
    };
    const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>validate-docs report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>validate-docs report: <span id="verdict"></span></h1>
<div id="counts" class="counts"></div>
<div id="filters" class="filters"></div>
<table id="pages"><thead><tr><th>page</th><th>status</th><th>blocks</th><th>passed</th><th>failed</th><th>skipped</th><th>other fences</th><th>findings</th></tr></thead><tbody></tbody></table>
<div id="sections"></div>
<p><small>${result.tool.name} ${result.tool.version}, report format v${result.version}</small></p>
<script type="application/json" id="validate-docs-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
    return [{ path: "index.html", content: html }];
  },
};
