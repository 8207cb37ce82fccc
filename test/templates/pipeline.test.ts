// Load → render → map → group on the seed fixture. The check itself (typecheck, lint) is the lead's
// pipeline; here findings are placed exactly where those stages put them on the rendered pages.
import { readFileSync, writeFileSync, mkdirSync, cpSync, existsSync } from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import type { ResolvedConfig, TemplateSet } from "../../src/config-types.js";
import type { CheckResult, Finding, PageResult, Span } from "../../src/types.js";
import { emptyCounts } from "../../src/types.js";
import { tempDir } from "../helpers.js";
import { consoleReporter } from "../../src/report/console.js";
import { jsonReporter } from "../../src/report/json.js";
import { markdownReporter } from "../../src/report/markdown.js";
import { attachOrigin, groupTemplates, loadTemplateSets, renderToDisk, renderVariants, type RenderedPage } from "../../src/templates/index.js";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/templates");

function config(root: string, templates: TemplateSet[]): ResolvedConfig {
  return {
    root, include: [], exclude: [], out: "reports", checkJs: [], typecheck: true, run: true, lint: true, timeout: 10000,
    concurrency: 1, memoryLimit: 512, warnings: "error", allowWarnings: [], env: {}, passEnv: [], network: [], sandbox: false, isolate: "worker", typescript: "6", rules: {}, plugins: {},
    bannedApis: [], templates, context: [], setup: [], reporters: [], reporterPaths: {}, levels: [], environments: [], strict: false, update: false, fix: false,
  };
}

function seedConfig(name: string): ResolvedConfig {
  const root = path.join(FIXTURES, name);
  const json = JSON.parse(readFileSync(path.join(root, "validate-docs.config.json"), "utf8")) as { templates: TemplateSet[] };
  return config(root, json.templates);
}

function spanOf(text: string, needle: string): Span {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" not found`);
  const pt = (o: number) => { const b = text.slice(0, o).split("\n"); return { line: b.length, column: b[b.length - 1]!.length + 1, offset: o }; };
  return { start: pt(at), end: pt(at + needle.length) };
}

/** What the pipeline's merge step does: origins on the rendered pages' findings, then the template groups. */
function merged(rendered: RenderedPage[], pages: PageResult[], extra: PageResult[] = []): CheckResult {
  const byPath = new Map(rendered.map((p) => [p.path, p.origin]));
  const withOrigins = pages.map((pr) => {
    const origin = byPath.get(pr.page);
    return origin ? { ...pr, findings: pr.findings.map((f) => attachOrigin(f, origin)) } : pr;
  });
  const all = [...withOrigins, ...extra];
  return { ...result(all), templates: groupTemplates(all, rendered.map((p) => p.origin)) };
}

function result(pages: PageResult[]): CheckResult {
  return { version: 1, tool: { name: "validate-docs", version: "0" }, root: "/", pages, timings: {},
    summary: { pages: pages.length, blocks: 0, passed: 0, failed: 0, skipped: 0, errors: 0, warnings: 0, infos: 0, levels: { none: 0, parse: 0, resolve: 0, typecheck: 0, run: 0 }, passedLevels: { none: 0, parse: 0, resolve: 0, typecheck: 0, run: 0 }, reasons: {} } };
}

const finding = (page: string, ruleId: string, message: string, place: Span): Finding =>
  ({ stage: ruleId.startsWith("ts") ? "typecheck" : "lint", ruleId, severity: "error", message, page, place });

describe("seed fixture", () => {
  it("renders 6 providers in memory, each equal to a plain Handlebars render", async () => {
    const cfg = seedConfig("seed");
    const { sets, findings } = await loadTemplateSets(cfg);
    expect(findings).toEqual([]);
    const r = renderVariants(sets);
    expect(r.findings).toEqual([]);
    expect(r.pages.map((p) => p.path)).toEqual(["openai", "anthropic", "bedrock", "vertex", "mistral", "cohere"].map((n) => `docs/integrations/${n}.md`));
    const hb = Handlebars.create();
    for (const p of sets[0]!.partials) hb.registerPartial(p.name, p.source);
    const providers = JSON.parse(readFileSync(path.join(cfg.root, "templates/providers.json"), "utf8")) as Record<string, unknown>[];
    const tpl = hb.compile(readFileSync(path.join(cfg.root, "templates/integration.md.hbs"), "utf8"));
    r.pages.forEach((p, i) => expect(p.source).toBe(tpl(providers[i])));
    expect(r.pages[2]!.source).toContain("new BedrockInstrumentor({ region: 1 })");
  });

  it("groups the init line across 6 variants and the partial's type error in 1, at template lines", async () => {
    const { sets } = await loadTemplateSets(seedConfig("seed"));
    const r = renderVariants(sets);
    const pages: PageResult[] = r.pages.map((p) => {
      const findings = [finding(p.path, "no-init-instrumentors", "`init()` is passed `instrumentors`.", spanOf(p.source, "instrumentors: ["))];
      if (p.origin.variant === "bedrock") findings.push(finding(p.path, "ts2322", "Type 'number' is not assignable to type 'string'.", spanOf(p.source, "region: 1")));
      return { page: p.path, blocks: [], findings, counts: { fences: 3, checked: 2, skipped: 0, otherLanguage: 1, outputs: 0 }, origin: { template: p.origin.template, variant: p.origin.variant } };
    });
    const checked = merged(r.pages, pages);
    const reports = checked.templates!;
    expect(reports).toHaveLength(1);
    const groups = reports[0]!.groups;
    expect(groups.map((g) => `${g.file}:${g.place.start.line}:${g.place.start.column} ${g.ruleId} ${g.variants.join(",")}`)).toEqual([
      "templates/integration.md.hbs:12:43 no-init-instrumentors openai,anthropic,bedrock,vertex,mistral,cohere",
      "templates/partials/bedrock-setup.md.hbs:8:43 ts2322 bedrock",
    ]);
    expect(checked.pages[0]!.findings[0]!.origin).toMatchObject({ template: "templates/integration.md.hbs", variant: "openai", file: "templates/integration.md.hbs", fromData: false });
    // The console reporter prints the groups once and no per-page copy of a grouped finding.
    const text = consoleReporter.render(checked, {})[0]!.content;
    expect(text).toContain("affects 6 of 6 variants: openai, anthropic, bedrock, vertex, mistral, cohere");
    expect(text).toContain("templates/partials/bedrock-setup.md.hbs:8:43 (partial)");
    expect(text).not.toMatch(/^docs\/integrations\//m);
    const json = jsonReporter.render(checked, {}).filter((f) => f.path?.startsWith("templates/"));
    const md = markdownReporter.render(checked, {}).filter((f) => f.path?.startsWith("templates/"));
    expect([...json, ...md].map((f) => f.path)).toEqual(["templates/templates/integration.md.hbs.json", "templates/templates/integration.md.hbs.md"]);
    expect(JSON.parse(json[0]!.content)).toMatchObject({ passed: false, errors: 2, groups: [{ count: 6 }, { count: 1 }] });
  });

  it("labels text from variant data", async () => {
    const { sets } = await loadTemplateSets(seedConfig("seed"));
    const r = renderVariants(sets);
    const p = r.pages[0]!;
    const pr: PageResult = { page: p.path, blocks: [], counts: emptyCounts(),
      findings: [finding(p.path, "ts2304", "Cannot find name 'OpenAIInstrumentor'.", spanOf(p.source, "OpenAIInstrumentor"))] };
    const [report] = merged(r.pages, [pr]).templates!;
    expect(report!.groups[0]).toMatchObject({ fromData: true, place: { start: { line: 10, column: 16 } } });
  });

  it("render writes the fixed set's pages atomically only when the check passed", async () => {
    const { sets } = await loadTemplateSets(seedConfig("seed-fixed"));
    const r = renderVariants(sets);
    const out = tempDir("vd-render-");
    const failing = result([{ page: r.pages[0]!.path, blocks: [], counts: emptyCounts(),
      findings: [finding(r.pages[0]!.path, "ts2322", "x", spanOf(r.pages[0]!.source, "init"))] }]);
    expect(renderToDisk(r, out, "/", { result: failing })).toMatchObject({ blocked: true, written: [] });
    expect(existsSync(path.join(out, "openai.md"))).toBe(false);
    const done = renderToDisk(r, out, "/", { result: result([]) });
    expect(done.written).toHaveLength(6);
    expect(readFileSync(path.join(out, "bedrock.md"), "utf8")).toBe(r.pages[2]!.source);
    expect(renderToDisk(r, path.join(out, "forced"), "/", { result: failing, force: true }).written).toHaveLength(6);
  });
});

describe("template errors are findings at their line", () => {
  function project(files: Record<string, string>): string {
    const root = tempDir("vd-tpl-");
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    return root;
  }
  const at = (f: Finding) => `${f.ruleId} ${f.page}:${f.place.start.line}:${f.place.start.column} ${f.severity}`;

  it("bad variants JSON", async () => {
    const root = project({ "t/a.md.hbs": "x\n", "t/v.json": '[\n  { "name": "a" },\n  { "name": "b", }\n]\n' });
    const { findings } = await loadTemplateSets(config(root, [{ files: "t/*.hbs", variants: "t/v.json" }]));
    expect(findings.map(at)).toEqual(["template/bad-variants t/v.json:3:18 error"]);
    expect(findings[0]!.message).toMatch(/not valid JSON/);
  });

  it("bad variants YAML", async () => {
    const root = project({ "t/a.md.hbs": "x\n", "t/v.yaml": "- name: a\n- name: b\n  list: [1, 2\n- name: c\n" });
    const { findings } = await loadTemplateSets(config(root, [{ files: "t/*.hbs", variants: "t/v.yaml" }]));
    expect(findings.map((f) => `${f.ruleId} ${f.page}:${f.place.start.line}`)).toEqual(["template/bad-variants t/v.yaml:4"]);
  });

  it("YAML variants and inline variants load with names", async () => {
    const root = project({ "t/a.md.hbs": "{{n}}\n", "t/v.yml": "- name: a\n  n: 1\n- id: b\n  n: 2\n" });
    const { sets } = await loadTemplateSets(config(root, [{ files: "t/*.hbs", variants: "t/v.yml" }, { files: "t/*.hbs", variants: [{ key: "k", n: 3 }], variantName: "key", output: "out/{{key}}.md" }]));
    const r = renderVariants(sets);
    expect(r.pages.map((p) => `${p.path}=${p.source.trim()}`)).toEqual(["t/a.a.md=1", "t/a.b.md=2", "out/k.md=3"]);
  });

  it("unclosed block, missing partial, missing variable in a code block", async () => {
    const root = project({
      "t/unclosed.md.hbs": "# {{name}}\n\n{{#if x}}\ntext\n",
      "t/partial.md.hbs": "# {{name}}\n{{> nope}}\n",
      "t/missing.md.hbs": "# {{name}}\n\n```ts\nconst model = \"{{model}}\";\n```\n{{prose}}\n",
    });
    const { sets } = await loadTemplateSets(config(root, [{ files: "t/*.hbs", variants: [{ name: "a", model: "m" }, { name: "b" }] }]));
    const r = renderVariants(sets);
    expect(r.findings.map((f) => `${at(f)} ${f.origin?.variant}`).sort()).toEqual([
      "template/missing-partial t/partial.md.hbs:2:1 error *",
      "template/missing-variable t/missing.md.hbs:4:16 error b",
      "template/missing-variable t/missing.md.hbs:6:1 warning a",
      "template/missing-variable t/missing.md.hbs:6:1 warning b",
      "template/syntax-error t/unclosed.md.hbs:3:1 error *",
    ]);
    // Grouped: the prose warning is one group over both variants; results count the errors.
    expect(r.findings.filter((f) => f.severity === "error")).toHaveLength(3);
    const templatePages = [...new Set(r.findings.map((f) => f.page))].map((page) =>
      ({ page, blocks: [], counts: emptyCounts(), findings: r.findings.filter((f) => f.page === page) }));
    const groups = merged(r.pages, [], templatePages).templates!.flatMap((t) => t.groups);
    expect(groups.find((g) => g.place.start.line === 6)?.variants).toEqual(["a", "b"]);
  });
});
