import { describe, expect, it } from "vitest";
import { parseDuration, tokenize } from "../../src/extract/attributes.js";
import { extract } from "../../src/extract/index.js";
import type { BlockAttrs, Page } from "../../src/types.js";

function page(source: string, path = "docs/a.md"): Page {
  return { path, abs: `/root/${path}`, source };
}

function fenceWith(meta: string) {
  const result = extract(page("Intro\n\n```ts " + meta + "\nconst x = 1;\n```\n"));
  expect(result.blocks).toHaveLength(1);
  return { attrs: result.blocks[0].attrs, findings: result.findings, block: result.blocks[0] };
}

interface MetaCase {
  meta: string;
  attrs: Partial<BlockAttrs>;
  /** ruleIds of the findings, in order. */
  rules?: string[];
}

const metaCases: MetaCase[] = [
  { meta: "", attrs: { extra: {} } },
  { meta: 'skip="needs a live API key"', attrs: { skip: "needs a live API key", extra: {} } },
  { meta: "skip='single quoted'", attrs: { skip: "single quoted", extra: {} } },
  { meta: 'skip reason="bound to the skip"', attrs: { skip: "bound to the skip", extra: {} } },
  { meta: "skip", attrs: { skip: "", extra: {} }, rules: ["extract/skip-without-reason"] },
  { meta: 'skip=""', attrs: { skip: "", extra: {} }, rules: ["extract/skip-without-reason"] },
  { meta: "no-run", attrs: { noRun: true, extra: {} } },
  { meta: "no-run=false", attrs: { extra: {} } },
  { meta: "no-run=maybe", attrs: { extra: {} }, rules: ["extract/bad-attribute"] },
  { meta: "expect-error=2353", attrs: { expectError: [2353], extra: {} } },
  { meta: "expect-error=2353,2345", attrs: { expectError: [2353, 2345], extra: {} } },
  { meta: "expect-error=TS2353,ts2345", attrs: { expectError: [2353, 2345], extra: {} } },
  { meta: 'expect-error="2353, 2345"', attrs: { expectError: [2353, 2345], extra: {} } },
  { meta: "expect-error=x", attrs: { extra: {} }, rules: ["extract/bad-attribute"] },
  { meta: "expect-error", attrs: { extra: {} }, rules: ["extract/bad-attribute"] },
  { meta: "expect-finding=no-init-instrumentors,ts2353", attrs: { expectFinding: ["no-init-instrumentors", "ts2353"], extra: {} } },
  { meta: "expect-finding=run/threw", attrs: { expectFinding: ["run/threw"], extra: {} } },
  { meta: "expect-finding", attrs: { extra: {} }, rules: ["extract/bad-attribute"] },
  { meta: "expect-throw", attrs: { expectThrow: true, extra: {} } },
  { meta: 'expect-throw="TypeError: msg"', attrs: { expectThrow: "TypeError: msg", extra: {} } },
  { meta: "timeout=5000", attrs: { timeout: 5000, extra: {} } },
  { meta: "timeout=5s", attrs: { timeout: 5000, extra: {} } },
  { meta: "timeout=250ms", attrs: { timeout: 250, extra: {} } },
  { meta: "timeout=1.5s", attrs: { timeout: 1500, extra: {} } },
  { meta: "timeout=abc", attrs: { extra: {} }, rules: ["extract/bad-attribute"] },
  { meta: "timeout=0", attrs: { extra: {} }, rules: ["extract/bad-attribute"] },
  { meta: "timeout", attrs: { extra: {} }, rules: ["extract/bad-attribute"] },
  { meta: 'title="client.ts"', attrs: { title: "client.ts", extra: {} } },
  { meta: "filename=client.ts", attrs: { title: "client.ts", extra: {} } },
  { meta: "title", attrs: { extra: {} }, rules: ["extract/bad-attribute"] },
  { meta: 'disable=no-console reason="demo output"', attrs: { disable: [{ rules: ["no-console"], reason: "demo output" }], extra: {} } },
  { meta: "disable=no-console", attrs: { disable: [{ rules: ["no-console"], reason: "" }], extra: {} }, rules: ["extract/disable-without-reason"] },
  { meta: "{1,3-4}", attrs: { extra: { "{1,3-4}": true } } },
  { meta: "{1, 3-4} showLineNumbers", attrs: { extra: { "{1, 3-4}": true, showLineNumbers: true } } },
  { meta: "twoslash lineNumbers=false", attrs: { extra: { twoslash: true, lineNumbers: "false" } } },
  { meta: "no-rnu", attrs: { extra: { "no-rnu": true } }, rules: ["extract/unknown-attribute"] },
  { meta: "expect-eror=2353", attrs: { extra: { "expect-eror": "2353" } }, rules: ["extract/unknown-attribute"] },
  { meta: "skipp", attrs: { extra: { skipp: true } }, rules: ["extract/unknown-attribute"] },
  { meta: 'disable-file reason="x"', attrs: { extra: { reason: "x" } }, rules: ["extract/bad-attribute"] },
  { meta: 'title="unclosed', attrs: { title: "unclosed", extra: {} }, rules: ["extract/bad-attribute"] },
  { meta: 'NO-RUN Title="A.ts"', attrs: { noRun: true, title: "A.ts", extra: {} } },
  {
    meta: 'no-run expect-error=2353 timeout=2s title="x.ts" copy',
    attrs: { noRun: true, expectError: [2353], timeout: 2000, title: "x.ts", extra: { copy: true } },
  },
];

describe("fence meta attributes", () => {
  it.each(metaCases)("```ts $meta", ({ meta, attrs, rules = [] }) => {
    const { attrs: got, findings, block } = fenceWith(meta);
    expect(got).toEqual(attrs);
    expect(findings.map((f) => f.ruleId)).toEqual(rules);
    for (const f of findings) {
      expect(f.stage).toBe("extract");
      expect(f.blockId).toBe(block.id);
      // Meta problems point at the opening fence line (line 3 of the page).
      expect(f.place.start).toMatchObject({ line: 3, column: 1 });
    }
  });

  it("says what was expected for a bad value and suggests the known key for a typo", () => {
    expect(fenceWith("timeout=abc").findings[0].message).toMatch(/timeout.*expected .*milliseconds/);
    expect(fenceWith("no-rnu").findings[0]).toMatchObject({ severity: "warning", message: expect.stringMatching(/did you mean `no-run`/) });
    expect(fenceWith("expect-error=x").findings[0].severity).toBe("error");
  });

  it("keeps meta attributes off non-TS fences (they are not blocks)", () => {
    const result = extract(page("```bash skip\nnpm i\n```\n"));
    expect(result.blocks).toEqual([]);
    expect(result.findings).toEqual([]);
  });
});

describe("tokenize", () => {
  it("splits comment statements on ; and newlines but keeps them inside quotes", () => {
    const { statements } = tokenize('skip reason="a; b"; no-run\ntimeout=5s', "comment");
    expect(statements.map((s) => s.map((t) => [t.key, t.value]))).toEqual([
      [["skip", undefined], ["reason", "a; b"]],
      [["no-run", undefined]],
      [["timeout", "5s"]],
    ]);
  });

  it("keeps a meta string as one statement", () => {
    expect(tokenize("a;b c", "meta").statements).toHaveLength(1);
  });
});

describe("parseDuration", () => {
  it.each([
    ["5000", 5000],
    ["5s", 5000],
    ["2m", 120_000],
    ["10MS", 10],
    ["-1", undefined],
    ["1e3", undefined],
    ["", undefined],
  ])("%s → %s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});
