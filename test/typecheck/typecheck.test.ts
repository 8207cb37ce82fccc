// The stage end to end on real Markdown: extract() → one program → typecheck() → applyExpectations().
import path from "node:path";
import { describe, expect, test } from "vitest";
import { applyExpectations } from "../../src/expect.js";
import { extract } from "../../src/extract/index.js";
import { createBlockProgram } from "../../src/typecheck/program.js";
import { typecheck } from "../../src/typecheck/index.js";
import type { CodeBlock, Finding, Page } from "../../src/types.js";
import { makeProject, writeTree } from "./helpers.js";

interface Checked {
  blocks: CodeBlock[];
  raw: Finding[];
  findings: Finding[];
  source: string;
}

function check(pages: Record<string, string>, opts: { checkJs?: boolean; tsconfig?: boolean; extra?: Record<string, string> } = {}): Checked {
  const root = makeProject(opts.extra);
  writeTree(root, pages);
  const blocks: CodeBlock[] = [];
  for (const [rel, source] of Object.entries(pages)) {
    const page: Page = { path: rel, abs: path.join(root, rel), source };
    blocks.push(...extract(page).blocks);
  }
  const bp = createBlockProgram(blocks, {
    root,
    tsconfig: opts.tsconfig === false ? undefined : path.join(root, "tsconfig.json"),
    checkJs: opts.checkJs ?? false,
  });
  const raw = typecheck(bp, blocks).findings;
  return { blocks, raw, findings: applyExpectations(blocks, raw), source: Object.values(pages)[0] ?? "" };
}

/** 1-based line and column of the first occurrence of `needle` in the page (after `after`, if given). */
function where(source: string, needle: string, after = ""): { line: number; column: number } {
  const from = after ? source.indexOf(after) : 0;
  const offset = source.indexOf(needle, from);
  if (offset < 0) throw new Error(`${needle} not in page`);
  const before = source.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

const errors = (fs: Finding[]) => fs.filter((f) => f.severity === "error");
const brief = (f: Finding) => `${f.ruleId} ${f.place.start.line}:${f.place.start.column}-${f.place.end.line}:${f.place.end.column}`;

const LIST_PAGE = `# Guide

1. Install the SDK.
2. Initialise it:

   \`\`\`ts
   import { init } from "acme-sdk";
   init({ serviceName: "shop", instrumentors: [] });
   \`\`\`
`;

describe("typecheck: findings at page positions", () => {
  test("TS2353 on an excess property inside a list-indented fence", () => {
    const { findings } = check({ "docs/guide.md": LIST_PAGE });
    const start = where(LIST_PAGE, "instrumentors");
    expect(start).toEqual({ line: 8, column: 32 });
    expect(findings.map(brief)).toEqual([`ts2353 8:32-8:45`]);
    const [f] = findings;
    expect(f).toMatchObject({ stage: "typecheck", severity: "error", page: "docs/guide.md", blockId: "docs/guide.md#L6-L9" });
    expect(f!.message).toContain("Object literal may only specify known properties");
    expect(f!.hint).toContain("`ts expect-error=2353`");
  });

  test("a fence in a blockquote, and a second block on the same page", () => {
    const page = `Intro.

> \`\`\`ts
> const n: number = "one";
> \`\`\`

\`\`\`ts
import { add } from "@lib/math";
export const total: string = add(1, 2);
\`\`\`
`;
    const { findings } = check({ "docs/quote.md": page });
    const a = where(page, "n: number");
    const b = where(page, "total");
    expect(findings.map(brief)).toEqual([`ts2322 ${a.line}:${a.column}-${a.line}:${a.column + 1}`, `ts2322 ${b.line}:${b.column}-${b.line}:${b.column + 5}`]);
  });

  test("a CRLF page: positions stay on the right line and column", () => {
    const page = "# CRLF\r\n\r\n- item\r\n\r\n  ```ts\r\n  const a = 1;\r\n  const b: string = a;\r\n  ```\r\n";
    const { findings } = check({ "docs/crlf.md": page });
    expect(findings.map(brief)).toEqual(["ts2322 7:9-7:10"]);
  });

  test("tsx and mts blocks are compiled with their own extension", () => {
    const page = "```tsx\nconst el = <div className={1 + 1} />;\nconst n: number = \"x\";\n```\n\n```mts\nconst m: number = \"y\";\n```\n";
    const { raw } = check({ "docs/x.md": page });
    // JSX parses (no TS17004 about the --jsx flag); without React types the element is implicitly any (TS7026).
    expect(raw.map((f) => `${f.ruleId} ${f.place.start.line}`)).toEqual(["ts7026 2", "ts2322 3", "ts2322 7"]);
  });

  test("a syntax error is reported with its position", () => {
    const page = "```ts\nconst x = ;\n```\n";
    const { findings } = check({ "docs/s.md": page });
    expect(findings.map(brief)).toEqual(["ts1109 2:11-2:12"]);
  });

  test("related information goes into the hint with page positions", () => {
    const page = "```ts\nfunction add(a: number, b: number) {\n  return a + b;\n}\nadd(1);\n```\n";
    const { findings } = check({ "docs/r.md": page });
    expect(findings.map((f) => f.ruleId)).toEqual(["ts2554"]);
    expect(findings[0]!.hint).toContain("docs/r.md:2:25: An argument for 'b' was not provided.");
  });

  test("200 blocks on one page, in one program, each error at its own line", () => {
    const parts: string[] = [];
    for (let i = 0; i < 200; i++) parts.push("```ts", i % 3 === 0 ? `const v: number = "${i}";` : `const v: number = ${i};`, "```", "");
    const page = parts.join("\n");
    const { findings, blocks } = check({ "docs/many.md": page });
    expect(blocks).toHaveLength(200);
    const expected = Array.from({ length: 200 }, (_, i) => i).filter((i) => i % 3 === 0).map((i) => `ts2322 ${i * 4 + 2}:7-${i * 4 + 2}:8`);
    expect(findings.map(brief)).toEqual(expected);
  });

  test("a diagnostic about the program, not a block, is attached to the first block's fence", () => {
    const page = "Text.\n\n```ts\nexport const a = 1;\n```\n";
    // The fixture's target and lib (ES2022): without them TypeScript's defaults would load its full default lib, DOM
    // included, only for this test.
    const tsconfig = `{\n  "compilerOptions": {\n    "target": "ES2022",\n    "lib": ["ES2022"],\n    "types": ["does-not-exist"]\n  }\n}\n`;
    const { findings } = check({ "docs/g.md": page }, { extra: { "tsconfig.json": tsconfig } });
    expect(findings.map(brief)).toEqual(["ts2688 3:1-3:6"]);
    expect(findings[0]!.message).toMatch(/^tsconfig\.json: Cannot find type definition file for 'does-not-exist'/);
  });
});

describe("typecheck: JavaScript blocks", () => {
  const page = "```js\n/** @type {number} */\nconst n = \"s\";\n```\n\n```js\nconst broken = ;\n```\n";

  test("checkJs off: no type errors, syntax errors still reported", () => {
    const { findings } = check({ "docs/js.md": page });
    expect(findings.map(brief)).toEqual(["ts1109 7:16-7:17"]);
  });

  test("checkJs on: type errors reported", () => {
    const { findings } = check({ "docs/js.md": page }, { checkJs: true });
    expect(findings.map((f) => f.ruleId)).toEqual(["ts2322", "ts1109"]);
    expect(brief(findings[0]!)).toBe("ts2322 3:7-3:8");
  });

  test("a // @ts-check comment opts one block in", () => {
    const p = "```js\n// @ts-check\n/** @type {number} */\nconst n = \"s\";\n```\n";
    const { findings } = check({ "docs/js.md": p });
    expect(findings.map(brief)).toEqual(["ts2322 4:7-4:8"]);
  });
});

describe("typecheck + expectations", () => {
  test("expect-error satisfied: the error stays visible as info", () => {
    const page = LIST_PAGE.replace("```ts\n", "```ts expect-error=2353\n");
    const { findings } = check({ "docs/guide.md": page });
    expect(errors(findings)).toEqual([]);
    expect(findings.map((f) => `${f.severity} ${f.ruleId}`)).toEqual(["info ts2353"]);
    expect(findings[0]!.message).toMatch(/^expected: Object literal/);
  });

  test("expect-error on a block that type-checks: expect/missing-error at the fence", () => {
    const page = "# T\n\n```ts expect-error=2353\nconst ok = 1;\n```\n";
    const { findings } = check({ "docs/m.md": page });
    expect(findings.map(brief)).toEqual(["expect/missing-error 3:1-3:24"]);
    expect(findings[0]!.message).toContain("expected TS2353 in this block but it type-checks");
    expect(findings[0]!.message).toContain("remove `expect-error`");
  });

  test("wrong code: the missing expectation and the unexpected error, with the annotation that accepts it", () => {
    const page = "```ts expect-error=2345\nconst n: number = \"s\";\n```\n";
    const { findings } = check({ "docs/w.md": page });
    expect(findings.map((f) => `${f.severity} ${f.ruleId}`)).toEqual(["error ts2322", "error expect/missing-error"]);
    expect(findings[0]!.hint).toContain("`ts expect-error=2345,2322`");
    expect(findings[1]!.message).toContain("expected TS2345 in this block but TypeScript reports TS2322 instead");
  });

  test("an equivalent code (TS 6 vs TS 7 naming) satisfies the expectation", () => {
    const page = "```ts expect-error=2353\nimport { init } from \"acme-sdk\";\ninit({ serviceNam: \"x\" });\n```\n";
    const { findings, raw } = check({ "docs/e.md": page });
    expect(raw.map((f) => f.ruleId)).toEqual(["ts2561"]);
    expect(errors(findings)).toEqual([]);
  });

  test("expect-error on a JS block without checkJs explains why nothing was reported", () => {
    const page = "```js expect-error=2322\n/** @type {number} */\nconst n = \"s\";\n```\n";
    const { findings } = check({ "docs/j.md": page });
    expect(findings.map((f) => f.ruleId)).toEqual(["expect/missing-error"]);
    expect(findings[0]!.message).toContain("check-js=full");
  });
});

describe("module augmentations of several blocks", () => {
  const LOGGER = {
    "node_modules/logkit/package.json": JSON.stringify({ name: "logkit", version: "1.0.0", types: "./index.d.ts" }),
    "node_modules/logkit/index.d.ts": "export interface Fields { level?: string }\nexport declare function log(fields: Fields): void;\n",
  };
  const augment = (body: string, use: string) =>
    "```ts\nimport { log } from \"logkit\";\ndeclare module \"logkit\" {\n  interface Fields {\n" + body + "\n  }\n}\n" + use + "\n```\n";

  test("two blocks that each show a different augmentation (alternatives) do not clash in the one program", () => {
    const page = ["# Fields", "", augment("    userId?: string;", "log({ userId: \"1\" });"), "Or require it:", "", augment("    userId: string;", "log({ userId: \"1\" });")].join("\n");
    const { findings } = check({ "docs/fields.md": page }, { extra: LOGGER });
    expect(errors(findings).map(brief)).toEqual([]);
  });

  test("look-alike: an augmentation that conflicts with the library's own declaration is still an error", () => {
    const page = ["# Fields", "", augment("    level?: number;", "log({ level: 1 });"), "", augment("    userId?: string;", "log({ userId: \"1\" });")].join("\n");
    const { findings } = check({ "docs/fields.md": page }, { extra: LOGGER });
    expect(errors(findings).map((f) => f.ruleId)).toContain("ts2717");
  });
});
