import { describe, expect, it } from "vitest";
import { extract } from "../../src/extract/index.js";
import type { Page } from "../../src/types.js";

function page(source: string, path = "docs/d.md"): Page {
  return { path, abs: `/root/${path}`, source };
}

const rules = (source: string, path?: string) => extract(page(source, path)).findings.map((f) => f.ruleId);

describe("directive comments before a fence", () => {
  it("skip with a reason", () => {
    const r = extract(page('<!-- validate-docs: skip reason="needs a live API key" -->\n```ts\nawait live();\n```\n'));
    expect(r.blocks[0].attrs.skip).toBe("needs a live API key");
    expect(r.findings).toEqual([]);
    expect(r.counts).toEqual({ fences: 1, checked: 0, skipped: 1, otherLanguage: 0, outputs: 0 });
  });

  it("skip without a reason is an error at the comment", () => {
    const r = extract(page("Intro\n\n<!-- validate-docs: skip -->\n```ts\nx();\n```\n"));
    expect(r.blocks[0].attrs.skip).toBe("");
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({
      ruleId: "extract/skip-without-reason",
      severity: "error",
      stage: "extract",
      page: "docs/d.md",
      blockId: "docs/d.md#L4-L6",
      place: { start: { line: 3, column: 1 } },
    });
  });

  it("allows blank lines and other comments between the directive and the fence", () => {
    const r = extract(page('<!-- validate-docs: no-run -->\n\n<!-- prettier-ignore -->\n\n```ts\nx();\n```\n'));
    expect(r.blocks[0].attrs.noRun).toBe(true);
    expect(r.findings).toEqual([]);
  });

  it("reads several directives separated by ; or newlines", () => {
    const r = extract(
      page('<!-- validate-docs: no-run; expect-error=2353\n  timeout=5s\n  disable no-console,no-debugger reason="demo" -->\n```ts\nx();\n```\n'),
    );
    expect(r.blocks[0].attrs).toEqual({
      noRun: true,
      expectError: [2353],
      timeout: 5000,
      disable: [{ rules: ["no-console", "no-debugger"], reason: "demo" }],
      extra: {},
    });
    expect(r.findings).toEqual([]);
  });

  it("accepts several directives without separators", () => {
    const r = extract(page('<!-- validate-docs: skip reason="later" no-run expect-throw="Boom" -->\n```ts\nx();\n```\n'));
    expect(r.blocks[0].attrs).toMatchObject({ skip: "later", noRun: true, expectThrow: "Boom" });
    expect(r.findings).toEqual([]);
  });

  it("merges meta and comment attributes, meta wins on conflict", () => {
    const r = extract(page('<!-- validate-docs: timeout=1000 no-run title="a.ts" -->\n```ts timeout=2000 expect-error=2322\nx();\n```\n'));
    expect(r.blocks[0].attrs).toEqual({ timeout: 2000, noRun: true, title: "a.ts", expectError: [2322], extra: {} });
  });

  it("a reasoned skip in the meta satisfies a bare skip in the comment", () => {
    const r = extract(page('<!-- validate-docs: skip -->\n```ts skip="flaky network"\nx();\n```\n'));
    expect(r.blocks[0].attrs.skip).toBe("flaky network");
    expect(r.findings).toEqual([]);
  });

  it("disable without a reason is a finding; disable without rules too", () => {
    expect(rules("<!-- validate-docs: disable no-console -->\n```ts\nx();\n```\n")).toEqual(["extract/disable-without-reason"]);
    expect(rules('<!-- validate-docs: disable reason="x" -->\n```ts\nx();\n```\n')).toEqual(["extract/bad-attribute"]);
  });

  it("unknown directive names are errors that list the known ones", () => {
    const r = extract(page("<!-- validate-docs: no-rnu -->\n```ts\nx();\n```\n"));
    expect(r.findings.map((f) => f.ruleId)).toEqual(["extract/unknown-directive"]);
    expect(r.findings[0].severity).toBe("error");
    expect(r.findings[0].message).toMatch(/did you mean `no-run`/);
    expect(r.findings[0].message).toMatch(/Known directives: skip, no-run/);
    expect(r.findings[0].blockId).toBe(r.blocks[0].id);
    expect(rules("<!-- validate-docs: frobnicate -->\n```ts\nx();\n```\n")).toEqual(["extract/unknown-directive"]);
  });

  it("reports a misspelled prefix instead of ignoring the comment", () => {
    expect(rules("<!-- validate-doc: skip reason=\"x\" -->\n```ts\nx();\n```\n")).toEqual(["extract/unknown-directive"]);
    expect(rules("<!-- just a comment -->\n```ts\nx();\n```\n")).toEqual([]);
    expect(rules("<!-- validate-docs skip reason=\"x\" -->\n```ts\nx();\n```\n")).toEqual(["extract/unknown-directive"]);
    expect(rules("<!-- Validate-Docs: no-run -->\n```ts\nx();\n```\n")).toEqual(["extract/unknown-directive"]);
    expect(rules("<!-- validate the docs before release -->\n```ts\nx();\n```\n")).toEqual([]);
  });

  it("a directive not followed by a code block is an orphan", () => {
    const r = extract(page('<!-- validate-docs: skip reason="x" -->\n\nA paragraph.\n\n```ts\nx();\n```\n'));
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.place.start.line])).toEqual([["extract/orphan-directive", "warning", 1]]);
    expect(r.blocks[0].attrs.skip).toBeUndefined();
  });

  it("a directive at the end of the page is an orphan", () => {
    expect(rules("```ts\nx();\n```\n\n<!-- validate-docs: no-run -->\n")).toEqual(["extract/orphan-directive"]);
  });

  it("a directive before a non-TS fence has no effect and says so", () => {
    const r = extract(page('<!-- validate-docs: skip reason="x" -->\n```bash\nnpm i\n```\n'));
    expect(r.findings.map((f) => f.ruleId)).toEqual(["extract/orphan-directive"]);
    expect(r.findings[0].message).toMatch(/`bash`/);
  });

  it("directives apply inside lists and blockquotes", () => {
    const r = extract(page('- step\n\n  <!-- validate-docs: no-run -->\n  ```ts\n  x();\n  ```\n\n> <!-- validate-docs: skip reason="q" -->\n> ```js\n> y();\n> ```\n'));
    expect(r.blocks.map((b) => b.attrs)).toEqual([{ noRun: true, extra: {} }, { skip: "q", extra: {} }]);
    expect(r.findings).toEqual([]);
  });
});

describe("disable-file", () => {
  it("skips the whole page with its reason", () => {
    const r = extract(page('<!-- validate-docs: disable-file reason="generated page" -->\n\n# T\n\n```ts\na();\n```\n\n```ts skip="own"\nb();\n```\n'));
    expect(r.skipReason).toBe("generated page");
    expect(r.blocks.map((b) => b.attrs.skip)).toEqual(["generated page", "own"]);
    expect(r.counts).toEqual({ fences: 2, checked: 0, skipped: 2, otherLanguage: 0, outputs: 0 });
    expect(r.findings).toEqual([]);
  });

  it("without a reason still skips and is an error", () => {
    const r = extract(page("# T\n\n<!-- validate-docs: disable-file -->\n\n```ts\na();\n```\n"));
    expect(r.skipReason).toBe("");
    expect(r.blocks[0].attrs.skip).toBe("");
    expect(r.findings.map((f) => [f.ruleId, f.place.start.line])).toEqual([["extract/skip-without-reason", 3]]);
  });

  it("is not an orphan even far from any fence", () => {
    expect(rules('<!-- validate-docs: disable-file reason="x" -->\n\ntext\n')).toEqual([]);
  });
});

describe("MDX expression comments", () => {
  it("reads {/* validate-docs: … */} before a fence", () => {
    const r = extract(page('# T\n\n{/* validate-docs: skip reason="needs a key" */}\n\n```ts\nx();\n```\n', "docs/d.mdx"));
    expect(r.blocks[0].attrs.skip).toBe("needs a key");
    expect(r.findings).toEqual([]);
  });

  it("reads them inside JSX children", () => {
    const r = extract(page("<Tabs>\n  <Tab>\n\n  {/* validate-docs: no-run */}\n  ```ts\n  x();\n  ```\n\n  </Tab>\n</Tabs>\n", "docs/d.mdx"));
    expect(r.blocks[0].attrs.noRun).toBe(true);
  });

  it("reports bare skip, unknown directives and orphans in MDX too", () => {
    expect(rules("{/* validate-docs: skip */}\n```ts\nx();\n```\n", "docs/d.mdx")).toEqual(["extract/skip-without-reason"]);
    expect(rules("{/* validate-docs: no-rnu */}\n```ts\nx();\n```\n", "docs/d.mdx")).toEqual(["extract/unknown-directive"]);
    expect(rules('{/* validate-docs: skip reason="x" */}\n\nText.\n', "docs/d.mdx")).toEqual(["extract/orphan-directive"]);
  });

  it("disable-file works in MDX", () => {
    const r = extract(page('{/* validate-docs: disable-file reason="draft" */}\n\n```ts\nx();\n```\n', "docs/d.mdx"));
    expect(r.skipReason).toBe("draft");
  });

  it("options.mdx forces MDX parsing of a .md path", () => {
    const source = '{/* validate-docs: no-run */}\n```ts\nx();\n```\n';
    expect(extract(page(source), { mdx: true }).blocks[0].attrs.noRun).toBe(true);
    // As plain Markdown the braces are just a paragraph: no directive is read.
    expect(extract(page(source)).blocks[0].attrs.noRun).toBeUndefined();
  });

  it("invalid MDX is a parse-error finding and blocks are still extracted as Markdown", () => {
    const r = extract(page("# T\n\n<div>\n\n```ts\nx();\n```\n", "docs/bad.mdx"));
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.place.start.line])).toEqual([["extract/parse-error", "error", 3]]);
    expect(r.blocks).toHaveLength(1);
    expect(r.blocks[0].code).toBe("x();");
  });
});
