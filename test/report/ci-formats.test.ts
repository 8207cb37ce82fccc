// CI formats checked against the schemas their readers use: JUnit XML against an XSD (libxml2's xmllint, as
// WebAssembly), SARIF against the SARIF 2.1.0 JSON schema (ajv), GitHub workflow commands escaped as the runner
// parses them. Uses the shared fixture result plus a finding full of characters each format must escape.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty, githubReporter } from "../../src/report/github.js";
import { reporters } from "../../src/report/index.js";
import { junitReporter } from "../../src/report/junit.js";
import { sarifReporter } from "../../src/report/sarif.js";
import { builtinRules } from "../../rules/index.js";
import { ruleDocUrl } from "../../src/report/links.js";
import type { CheckResult, Finding } from "../../src/types.js";
import { REPO } from "../helpers.js";
import { result, sources } from "./fixture.js";
import { junitErrors as xsdErrors, sarifErrors } from "./schemas.js";

const at = (line: number, column: number, offset: number) => ({ line, column, offset });
/** Markup, an ANSI escape (not allowed in XML 1.0), workflow-command separators and a percent sign. */
const nasty: Finding = {
  stage: "run",
  ruleId: "run/threw",
  severity: "error",
  message: "Uncaught Error: <b>&amp;</b> \u001b[31m50%\u001b[0m done, a:b\r\nnext ]]> line",
  page: "docs/we,ird:name.md",
  blockId: "docs/we,ird:name.md#L1-L3",
  place: { start: at(2, 3, 10), end: at(2, 9, 16) },
  hint: "see <https://example.com/?a=1&b=2>",
};
const hostile: CheckResult = {
  ...result,
  pages: [
    ...result.pages,
    {
      page: nasty.page,
      blocks: [{ id: nasty.blockId!, lang: "ts", line: 1, status: "failed", checks: ["run"], level: "run" }],
      findings: [nasty],
      counts: { fences: 1, checked: 1, skipped: 0, otherLanguage: 0, outputs: 0 },
    },
  ],
  summary: { ...result.summary, pages: 4, blocks: 5, failed: 3, errors: 3 },
};

describe("junit", () => {
  it("is valid against the JUnit XSD, for the shared fixture and for hostile text", async () => {
    for (const r of [result, hostile]) {
      const xml = junitReporter.render(r, {})[0]!.content;
      expect(await xsdErrors(xml)).toEqual([]);
    }
  });

  it("the schema check can fail: a report with a misspelt element is rejected", async () => {
    const xml = junitReporter.render(result, {})[0]!.content.replace("<failure ", "<failed ").replace("</failure>", "</failed>");
    expect((await xsdErrors(xml)).join("\n")).toMatch(/failed/);
  });

  it("a testcase per block, a failure per error with rule and page:line, skipped blocks and pages as <skipped>", () => {
    const xml = junitReporter.render(hostile, {})[0]!.content;
    expect(xml).toContain('<testsuites name="validate-docs" tests="6" failures="3" errors="0" skipped="2" time="0.150">');
    expect(xml).toContain('<testsuite name="docs/guide.md" tests="2" failures="2" errors="0" skipped="0" file="docs/guide.md">');
    expect(xml).toContain('<failure message="docs/guide.md:4:21 Object literal may only specify known properties, and &apos;retries&apos; does not exist in type &apos;InitOptions&apos;." type="ts2353">');
    expect(xml).toContain('<skipped message="needs a live API key"/>');
    expect(xml).toContain('<testcase name="docs/off.md (page)" classname="docs/off.md">');
    expect(xml).toContain('<skipped message="page skipped: draft page"/>');
    // The warning on a failing block is kept as its output, not dropped and not a failure.
    expect(xml).toMatch(/<system-out>docs\/guide.md:4:1 warning no-deprecated/);
    // Escaped by the builder; the ANSI escape (invalid in XML 1.0) is replaced, not emitted.
    expect(xml).toContain("&lt;b&gt;&amp;amp;&lt;/b&gt;");
    expect(xml).not.toContain("\u001b");
  });
});

describe("sarif", () => {

  it("is valid against the SARIF 2.1.0 schema, for the shared fixture and for hostile text", () => {
    for (const r of [result, hostile]) {
      const log = JSON.parse(sarifReporter.render(r, {})[0]!.content);
      expect(sarifErrors(log)).toEqual([]);
    }
  });

  it("the schema check can fail: a result with an unknown level is rejected", () => {
    const log = JSON.parse(sarifReporter.render(result, {})[0]!.content);
    log.runs[0].results[0].level = "fatal";
    expect(sarifErrors(log)).not.toEqual([]);
  });

  it("every finding is a result at its page region, with rule metadata linking the rule's doc", () => {
    const log = JSON.parse(sarifReporter.render(result, {})[0]!.content);
    const run = log.runs[0];
    expect(run.results).toHaveLength(result.pages.flatMap((p) => p.findings).length);
    const first = run.results.find((r: { ruleId: string }) => r.ruleId === "ts2353");
    expect(first.level).toBe("error");
    expect(first.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "docs/guide.md", uriBaseId: "ROOT" },
      region: { startLine: 4, startColumn: 21, endLine: 4, endColumn: 28 },
    });
    expect(run.originalUriBaseIds.ROOT.uri).toBe("file:///project/");
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === "no-deprecated");
    expect(rule.helpUri).toBe("https://unpkg.com/validate-docs@0.0.0-test/docs/rules/no-deprecated.md");
    expect(run.tool.driver.rules[first.ruleIndex].id).toBe("ts2353");
    expect(run.results.find((r: { ruleId: string }) => r.ruleId === "ts2322").level).toBe("note");
  });

  it("every built-in rule has a doc link, and a rule's own docs.url wins", () => {
    for (const id of Object.keys(builtinRules)) {
      expect(ruleDocUrl({ ruleId: id }, "1.2.3")).toBe(`https://unpkg.com/validate-docs@1.2.3/docs/rules/${id}.md`);
      expect(fs.existsSync(path.join(REPO, "docs/rules", `${id}.md`))).toBe(true);
    }
    expect(ruleDocUrl({ ruleId: "my-rule", url: "https://example.com/my-rule" }, "1.2.3")).toBe("https://example.com/my-rule");
    expect(ruleDocUrl({ ruleId: "ts2353" }, "1.2.3")).toBeUndefined();
  });
});

describe("github", () => {
  it("one workflow command per non-info finding, properties and data escaped as the runner parses them", () => {
    const [out] = githubReporter.render(hostile, {});
    const lines = out!.content.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      "::error file=docs/guide.md,line=4,col=21,endLine=4,endColumn=28,title=validate-docs ts2353::Object literal may only specify known properties, and 'retries' does not exist in type 'InitOptions'.%0Ahint: if this error is intended, mark the fence `ts expect-error=2353`",
    );
    expect(lines).toContain("::warning file=docs/guide.md,line=4,col=1,endLine=4,endColumn=5,title=validate-docs no-deprecated::`Tracer.init` is deprecated: use new Tracer().");
    expect(lines[3]).toBe(
      "::error file=docs/we%2Cird%3Aname.md,line=2,col=3,endLine=2,endColumn=9,title=validate-docs run/threw::Uncaught Error: <b>&amp;</b> \u001b[31m50%25\u001b[0m done, a:b%0D%0Anext ]]> line%0Ahint: see <https://example.com/?a=1&b=2>",
    );
    expect(escapeData("a%b\r\nc")).toBe("a%25b%0D%0Ac");
    expect(escapeProperty("a:b,c%")).toBe("a%3Ab%2Cc%25");
  });

  it("annotation paths are relative to the repository root when the project is a subdirectory of it", () => {
    const sub = { ...result, root: "/work/repo/site" };
    const [out] = githubReporter.render(sub, { workspace: "/work/repo" });
    expect(out!.content).toContain("::error file=site/docs/guide.md,line=4,");
  });

  it("the job summary has the verdict, the counts and each error, table-safe", () => {
    const summary = githubReporter.render(hostile, {}).find((f) => f.destination === "step-summary")!.content;
    expect(summary).toContain("## validate-docs: ✖ 3 errors");
    expect(summary).toContain("| `docs/guide.md:4:21` | `ts2353` |");
    expect(summary).toContain("-hello \\| world<br>+hi &lt;b&gt;");
    expect(summary).not.toContain("no-deprecated");
  });
});

it("every reporter renders the hostile result without dropping its finding", () => {
  for (const [id, reporter] of Object.entries(reporters)) {
    const text = reporter.render(hostile, { sources }).map((f) => f.content).join("\n");
    expect(text, id).toMatch(/run\/threw/);
  }
});
