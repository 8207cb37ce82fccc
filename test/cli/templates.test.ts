// Guide templates end to end through the real CLI (subprocess): the seed fixture's two grouped findings, its
// shards merged back into that run's report set, the fixed set rendering pages equal to a plain Handlebars render,
// template errors as findings. (--changed, init-hook and the npm pre-publish gate: templates-git.test.ts.)
import fs from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/types.js";
import { expectNoCrash, groupedLines, makeProject, once, readJson, runCli, templateFixtures } from "../helpers.js";
import { expectSameReports, REPORTERS, shardAndMerge, summaryLine } from "./shards.js";

const TEMPLATE = "templates/integration.md.hbs";
const PARTIAL = "templates/partials/bedrock-setup.md.hbs";
const PROVIDERS = ["openai", "anthropic", "bedrock", "vertex", "mistral", "cohere"];

interface GroupJson {
  file: string;
  ruleId: string;
  variants: string[];
  count: number;
  place: { start: { line: number; column: number } };
}

describe("validate-docs on the seed template set", () => {
  // One copy of the fixtures and one check of the seed set (every reporter, into out/single) for the three tests:
  // `templates render` then checks the seed set from the result cache the check left (the same findings, without
  // checking the six variants again), and the shards (--no-cache: each really checks its pages) are merged and
  // compared with the check's report set. All skip the run stage: the seed's two findings are lint's and the
  // type-check's, and its blocks throw nothing (that the fixed set also runs clean is the next describe's; merging the
  // run stage's findings is test/cli/corpus.test.ts's, every stage).
  const fixtures = once(templateFixtures);
  const ARGS = ["--no-run", "--reporter", REPORTERS];
  const check = once(() => {
    const seed = path.join(fixtures(), "seed");
    return { seed, r: runCli([...ARGS, "--out", "out/single"], seed) };
  });

  it("exit 1 with exactly 2 grouped findings at the template and partial lines, in stdout and reports/templates", () => {
    const dir = fixtures();
    const { r } = check();
    expectNoCrash(r);
    expect(r.code).toBe(1);
    expect(groupedLines(r.stdout)).toEqual([`${TEMPLATE}:12:43 no-init-instrumentors`, `${PARTIAL}:8:43 ts2322`]);
    expect(r.stdout).toContain(`affects 6 of 6 variants: ${PROVIDERS.join(", ")}`);
    expect(r.stdout).toContain("affects 1 of 6 variants: bedrock");
    // Grouped instead of one console line per variant…
    expect(r.stdout).not.toMatch(/^docs\/integrations\/\w+\.md:\d+:\d+ error/m);

    const report = readJson<{ template: string; variants: string[]; passed: boolean; errors: number; groups: GroupJson[] }>(
      path.join(dir, "seed/out/single/templates", `${TEMPLATE}.json`),
    );
    expect(report).toMatchObject({ template: TEMPLATE, variants: PROVIDERS, passed: false, errors: 2 });
    expect(report.groups.map((g) => `${g.file}:${g.place.start.line}:${g.place.start.column} ${g.ruleId} ${g.variants.join(",")} ${g.count}`)).toEqual([
      `${TEMPLATE}:12:43 no-init-instrumentors ${PROVIDERS.join(",")} 6`,
      `${PARTIAL}:8:43 ts2322 bedrock 1`,
    ]);
    expect(fs.readFileSync(path.join(dir, "seed/out/single/templates", `${TEMPLATE}.md`), "utf8")).toContain(`\`${PARTIAL}:8:43\``);
    // …while the per-variant findings stay in the page reports, with both positions.
    const bedrock = readJson<{ findings: { ruleId: string; place: { start: { line: number } }; origin: Record<string, unknown> }[] }>(
      path.join(dir, "seed/out/single/pages/docs/integrations/bedrock.md.json"),
    );
    const ts = bedrock.findings.find((f) => f.ruleId === "ts2322")!;
    expect(ts.origin).toMatchObject({ template: TEMPLATE, variant: "bedrock", file: PARTIAL, place: { start: { line: 8, column: 43 } } });
    expect(readJson<{ summary: { errors: number } }>(path.join(dir, "seed/out/single/index.json")).summary.errors).toBe(7);
    expect(readJson<string[]>(path.join(dir, "seed/out/single/.validate-docs-files.json"))).toContain(`templates/${TEMPLATE}.json`);
  });

  it("templates render is blocked by the failing variants: exit 1, nothing written", () => {
    const { seed } = check();
    const r = runCli(["templates", "render", "--out", "rendered", "--no-run"], seed);
    expectNoCrash(r);
    expect(r.code).toBe(1);
    expect(groupedLines(r.stdout)).toHaveLength(2);
    expect(r.stderr).toContain("nothing was written");
    expect(fs.existsSync(path.join(seed, "rendered"))).toBe(false);
  });

  // --shard k/n and merge-reports on guide templates (the split and the merge as functions: test/cli/shard.test.ts).
  it("merged shards equal the one run, every report file: variants in different shards are grouped again per template line", () => {
    const { seed, r: single } = check();
    expect(single.code, single.stderr).toBe(1);
    const { results, merged } = shardAndMerge(seed, 3, ["--no-cache", "--quiet", ...ARGS]);
    // The six variants are spread over the shards, so no shard alone sees every group's variants.
    expect(results.filter((r) => r.pages.some((p) => p.origin)).length).toBeGreaterThan(1);
    expect(merged.code, merged.stderr).toBe(1);
    // The check is not quiet: its summary line is followed by where the reports went.
    expect(summaryLine(single.stdout.replace(/\nReports: .*\n$/, "\n"))).toBe(summaryLine(merged.stdout));
    const one = readJson<CheckResult>(path.join(seed, "out/single/index.json"));
    expect(one.templates?.[0]?.groups.map((g) => g.variants.length)).toEqual([6, 1]);
    expectSameReports(path.join(seed, "out/single"), path.join(seed, "out/merged"));
  });
});

describe("validate-docs on the fixed template set", () => {
  it("exit 0; templates render writes 6 pages equal to a plain Handlebars render; disk copies are not checked twice", () => {
    const dir = templateFixtures();
    const root = path.join(dir, "seed-fixed");
    const check = runCli([], root);
    expectNoCrash(check);
    expect(check.code).toBe(0);
    expect(groupedLines(check.stdout)).toEqual([]);

    const render = runCli(["templates", "render", "--out", "docs/integrations"], root);
    expectNoCrash(render);
    expect(render.code).toBe(0);
    expect(render.stdout).toContain("Wrote 6 rendered pages");
    const written = fs.readdirSync(path.join(root, "docs/integrations")).sort();
    expect(written).toEqual(PROVIDERS.map((p) => `${p}.md`).sort());

    const hb = Handlebars.create();
    for (const file of fs.readdirSync(path.join(root, "templates/partials"))) {
      hb.registerPartial(file.replace(/\..*$/, ""), fs.readFileSync(path.join(root, "templates/partials", file), "utf8"));
    }
    const template = hb.compile(fs.readFileSync(path.join(root, TEMPLATE), "utf8"));
    const variants = readJson<{ name: string }[]>(path.join(root, "templates/providers.json"));
    for (const v of variants) {
      expect(fs.readFileSync(path.join(root, "docs/integrations", `${v.name}.md`), "utf8")).toBe(template(v));
    }

    // With the generated pages included by the config, each is checked once (the in-memory render). Which pages the
    // run takes is asserted, not findings (the check above passed): no stage runs.
    const config = readJson<Record<string, unknown>>(path.join(root, "validate-docs.config.json"));
    fs.writeFileSync(path.join(root, "validate-docs.config.json"), JSON.stringify({ ...config, include: ["README.md", "docs/**/*.md"] }));
    const again = runCli(["--no-typecheck", "--no-lint", "--no-run"], root);
    expect(again.code).toBe(0);
    expect(readJson<{ summary: { pages: number } }>(path.join(root, "reports/index.json")).summary.pages).toBe(7);
  });
});

describe("template errors are findings on their line, not crashes", () => {
  // Two template sets in one project and one run (--templates: the template stage only); each test reads its own
  // set's grouped lines and report.
  const errorsRun = once(() => {
    const dir = makeProject({
      "validate-docs.config.json": JSON.stringify({
        include: [],
        templates: [
          { files: "t/*.md.hbs", variants: "t/v.json", output: "docs/{{name}}.md" },
          { files: "u/*.md.hbs", variants: "u/v.json", output: "docs/u-{{name}}.md" },
        ],
      }),
      "t/a.md.hbs": "# {{name}}\n",
      "t/v.json": '[\n  { "name": "a" },\n  { "name": "b", }\n]\n',
      "u/a.md.hbs": "# {{name}}\n\n{{#each items}}\n- {{this}}\n",
      "u/v.json": '[{ "name": "a" }]',
    });
    const r = runCli(["--templates"], dir);
    expectNoCrash(r);
    return { dir, r, lines: groupedLines(r.stdout) };
  });

  it("a variants file with a JSON syntax error", () => {
    const { dir, r, lines } = errorsRun();
    expect(r.code).toBe(1);
    expect(lines.filter((l) => l.startsWith("t/"))).toEqual(["t/v.json:3:18 template/bad-variants"]);
    expect(r.stdout).toContain("not valid JSON");
    expect(readJson<{ groups: GroupJson[] }>(path.join(dir, "reports/templates/t/v.json.json")).groups).toHaveLength(1);
  });

  it("a template with an unclosed block", () => {
    const { r, lines } = errorsRun();
    expect(r.code).toBe(1);
    expect(lines.filter((l) => l.startsWith("u/"))).toEqual(["u/a.md.hbs:3:1 template/syntax-error"]);
    expect(lines).toHaveLength(2);
    expect(r.stdout).toContain("Unclosed block {{#each}}");
  });

  it("--templates without template sets, unknown options and actions: exit 2", () => {
    const dir = makeProject({ "validate-docs.config.json": JSON.stringify({ include: [] }) });
    const none = runCli(["--templates"], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no `templates`");
    expect(runCli(["templates", "render", "--bogus"], dir).code).toBe(2);
    expect(runCli(["templates", "publish"], dir).code).toBe(2);
    expect(runCli(["templates"], dir).code).toBe(2);
    expect(runCli(["init-hook", "--bogus"], dir).code).toBe(2);
    // --help on --templates, `templates <action>` and init-hook: test/cli/foundation.test.ts, "--help documents every
    // option" (one --help run).
  });
});
