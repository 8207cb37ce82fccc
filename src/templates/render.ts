// Renders every template × variant in memory into Pages, each carrying its origin map; template errors become
// findings.
import path from "node:path";
import Handlebars from "handlebars";
import type { Finding, Page, PageOrigin } from "../types.js";
import { TemplateError } from "./engine.js";
import { TemplateErrors } from "./handlebars.js";
import { type LoadedSet, type LoadedTemplate, type Variant, errorFinding, templateFinding } from "./load.js";
import { lineColumnAt } from "../extract/position.js";
import { approximateSegments, makeOriginMap } from "./origin.js";

export interface RenderedPage extends Page {
  origin: PageOrigin;
  /** Path below `--out` when the page is written by `templates render --out DIR`. */
  outRel: string;
}

export interface RenderResult {
  pages: RenderedPage[];
  findings: Finding[];
}

/** `templates/integration.md.hbs` + `openai` → `templates/integration.openai.md`. */
export function defaultOutput(template: string, variant: string): string {
  const base = template.replace(/\.(hbs|handlebars|mustache|ejs|njk)$/i, "");
  const ext = path.posix.extname(base);
  return ext ? `${base.slice(0, -ext.length)}.${variant}${ext}` : `${base}.${variant}`;
}

const outputEnv = Handlebars.create();

/** The page path for a variant: the set's `output` pattern rendered with the variant's data. */
export function outputPath(pattern: string | undefined, template: string, variant: Variant): { path: string; outRel: string } {
  if (!pattern) {
    const p = defaultOutput(template, variant.name);
    return { path: p, outRel: path.posix.basename(p) };
  }
  const name = path.posix.basename(template).replace(/\..*$/, "");
  const data = { template: name, variant: variant.name, ...variant.data };
  const p = path.posix.normalize(outputEnv.compile(pattern, { noEscape: true })(data));
  // The static directory before the first `{{` is replaced by `--out DIR`.
  const fixed = pattern.slice(0, pattern.indexOf("{{") < 0 ? pattern.length : pattern.indexOf("{{"));
  const dir = fixed.includes("/") ? fixed.slice(0, fixed.lastIndexOf("/") + 1) : "";
  return { path: p, outRel: p.startsWith(dir) ? p.slice(dir.length) : path.posix.basename(p) };
}

/** Output ranges inside fenced code blocks (``` or ~~~), by a line scan. */
export function fencedRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  let open: { ch: string; len: number; start: number } | undefined;
  let pos = 0;
  for (const line of text.split("\n")) {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (m) {
      const fence = m[1]!;
      if (!open) open = { ch: fence[0]!, len: fence.length, start: pos };
      else if (fence[0] === open.ch && fence.length >= open.len && !line.slice(m[0].length).trim()) {
        ranges.push([open.start, pos + line.length]);
        open = undefined;
      }
    }
    pos += line.length + 1;
  }
  if (open) ranges.push([open.start, text.length]);
  return ranges;
}

function compileErrors(err: unknown, sources: Map<string, string>, template: string): Finding[] {
  if (err instanceof TemplateErrors) return err.errors.map((e) => errorFinding(e, sources, template));
  if (err instanceof TemplateError) return [errorFinding(err, sources, template)];
  throw err;
}

function renderTemplate(set: LoadedSet, t: LoadedTemplate, out: RenderResult): void {
  const sources = new Map<string, string>([[t.path, t.source], ...set.partials.map((p) => [p.path, p.source] as [string, string])]);
  let compiled;
  try {
    compiled = set.engine.compile(t.source, t.path);
  } catch (err) {
    out.findings.push(...compileErrors(err, sources, t.path));
    return;
  }
  const files = [...sources].map(([file, source]) => ({ file, source }));
  for (const variant of set.variants) {
    const { path: pagePath, outRel } = outputPath(set.set.output, t.path, variant);
    if (out.pages.some((p) => p.path === pagePath)) {
      out.findings.push(templateFinding("template/duplicate-output",
        `Variant "${variant.name}" renders to ${pagePath}, which another variant or template already produces. Make \`output\` unique per variant (e.g. include {{name}}).`,
        t.path, t.source, 1, 1, { template: t.path, variant: variant.name }));
      continue;
    }
    let rendered;
    try {
      rendered = compiled.renderMapped
        ? compiled.renderMapped(variant.data)
        : (() => { const output = compiled.render(variant.data); return { output, segments: approximateSegments(output, files), missing: [], approximate: true }; })();
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      out.findings.push(errorFinding(err, sources, t.path, variant.name));
      continue;
    }
    const fenced = fencedRanges(rendered.output);
    for (const m of rendered.missing) {
      const inCode = fenced.some(([a, b]) => m.output >= a && m.output <= b);
      const source = sources.get(m.file);
      const f = templateFinding("template/missing-variable",
        `{{${m.name}}} is undefined for variant "${variant.name}", so ${inCode ? "the code block" : "the page"} would silently get an empty string here. ` +
          `Add "${m.name}" to that variant's data, or wrap the line in {{#if ${m.name}}}…{{/if}}.`,
        m.file, source, 1, 1, { severity: inCode ? "error" : "warning", template: t.path, variant: variant.name });
      f.place = { start: lineColumnAt(source ?? "", m.at), end: lineColumnAt(source ?? "", m.atEnd) };
      f.origin = { template: t.path, variant: variant.name, file: m.file, place: f.place };
      out.findings.push(f);
    }
    const map = makeOriginMap(rendered.segments, files, rendered.approximate ?? false);
    out.pages.push({
      path: pagePath, abs: path.resolve(set.root, pagePath), source: rendered.output,
      origin: { template: t.path, variant: variant.name, map }, outRel,
    });
  }
}

export function renderVariants(sets: LoadedSet[]): RenderResult {
  const out: RenderResult = { pages: [], findings: [] };
  for (const set of sets) for (const t of set.templates) renderTemplate(set, t, out);
  return out;
}
