import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { extract } from "../../src/extract/index.js";
import type { Page } from "../../src/types.js";

const fixtures = fileURLToPath(new URL("../fixtures/extract/", import.meta.url));

function page(source: string, path = "docs/e.md"): Page {
  return { path, abs: `/root/${path}`, source };
}

function fixture(name: string): Page {
  return { path: `docs/${name}`, abs: `${fixtures}${name}`, source: readFileSync(`${fixtures}${name}`, "utf8") };
}

describe("languages", () => {
  it.each([
    ["ts", "ts", ".ts"],
    ["typescript", "ts", ".ts"],
    ["TypeScript", "ts", ".ts"],
    ["tsx", "ts", ".tsx"],
    ["mts", "ts", ".mts"],
    ["cts", "ts", ".cts"],
    ["js", "js", ".js"],
    ["javascript", "js", ".js"],
    ["JS", "js", ".js"],
    ["jsx", "js", ".jsx"],
    ["mjs", "js", ".mjs"],
    ["cjs", "js", ".cjs"],
  ])("```%s → kind %s, ext %s", (lang, kind, ext) => {
    const r = extract(page("```" + lang + "\nx;\n```\n"));
    expect(r.blocks).toHaveLength(1);
    expect(r.blocks[0]).toMatchObject({ lang: lang.toLowerCase(), kind, ext });
    expect(r.counts).toEqual({ fences: 1, checked: 1, skipped: 0, otherLanguage: 0, outputs: 0 });
  });

  it.each(["bash", "json", "tsconfig", "typescriptreact", "", "sh"])("```%s is another language, counted", (lang) => {
    const r = extract(page("```" + lang + "\nx;\n```\n"));
    expect(r.blocks).toEqual([]);
    expect(r.counts).toEqual({ fences: 1, checked: 0, skipped: 0, otherLanguage: 1, outputs: 0 });
  });
});

describe("the guide fixture", () => {
  const r = extract(fixture("guide.md"));

  it("finds TS/JS blocks at every depth, in page order, with readable ids", () => {
    expect(r.blocks.map((b) => [b.id, b.index, b.lang, b.ext])).toEqual([
      ["docs/guide.md#L15-L19", 0, "ts", ".ts"],
      ["docs/guide.md#L27-L29", 1, "typescript", ".ts"],
      ["docs/guide.md#L33-L35", 2, "js", ".js"],
      ["docs/guide.md#L38-L40", 3, "ts", ".ts"],
      ["docs/guide.md#L54-L56", 4, "mjs", ".mjs"],
    ]);
    expect(r.blocks.every((b) => b.page === "docs/guide.md")).toBe(true);
  });

  it("counts every fence, including output, indented and no-language ones", () => {
    // bash, output, json, indented, no-language = 5 others; 5 TS/JS; one skipped.
    expect(r.counts).toEqual({ fences: 10, checked: 4, skipped: 1, otherLanguage: 4, outputs: 1 });
    expect(r.findings).toEqual([]);
  });

  it("reads attributes from meta and comments", () => {
    expect(r.blocks[0].attrs).toEqual({ title: "setup.ts", extra: {} });
    expect(r.blocks[1].attrs).toEqual({ noRun: true, extra: {} });
    expect(r.blocks[3].attrs).toEqual({ skip: "needs a live API key", extra: {} });
  });

  it("de-indents code in lists, quotes and footnotes", () => {
    expect(r.blocks[1].code).toBe("const config = { sampleRate: 0.5 };");
    expect(r.blocks[2].code).toBe('console.log("quoted");');
    expect(r.blocks[4].code).toBe("export const x = 1;");
  });

  it("attaches the output fence to the block before it", () => {
    const source = fixture("guide.md").source;
    const out = r.blocks[0].expectedOutput;
    expect(out?.text).toBe("object");
    expect(source.slice(out!.span.start.offset, out!.span.end.offset)).toBe("```output\nobject\n```");
    expect(source.slice(out!.bodySpan.start.offset, out!.bodySpan.end.offset)).toBe("object");
    expect(out!.bodySpan.start).toMatchObject({ line: 22, column: 1 });
    expect(r.blocks.slice(1).every((b) => b.expectedOutput === undefined)).toBe(true);
  });
});

describe("frontmatter", () => {
  it.each([
    ["yaml", "---\ntitle: |\n  ```ts\n  not code\n  ```\n---\n\n```ts\nx;\n```\n"],
    ["toml", "+++\ntitle = \"```ts\"\n+++\n\n```ts\nx;\n```\n"],
  ])("%s frontmatter is not code and keeps page line numbers", (_kind, source) => {
    const r = extract(page(source));
    expect(r.counts.fences).toBe(1);
    const lines = source.split("\n");
    expect(lines[r.blocks[0].lineMap[0].line - 1]).toBe("x;");
  });
});

describe("the MDX fixture", () => {
  it("extracts blocks inside JSX with MDX comment directives", () => {
    const r = extract(fixture("tabs.mdx"));
    expect(r.findings).toEqual([]);
    expect(r.blocks.map((b) => [b.lang, b.ext, b.code])).toEqual([
      ["tsx", ".tsx", "const el = <div>hi</div>;"],
      ["jsx", ".jsx", "missing();"],
      ["cts", ".cts", "module.exports = {};"],
    ]);
    expect(r.blocks[1].attrs.expectThrow).toBe("ReferenceError");
    expect(r.counts).toEqual({ fences: 3, checked: 3, skipped: 0, otherLanguage: 0, outputs: 0 });
  });
});

describe("expected output fences", () => {
  const one = (source: string) => extract(page(source));

  it("accepts ```text output and ```console output", () => {
    expect(one("```ts\nlog(1);\n```\n\n```text output\n1\n```\n").blocks[0].expectedOutput?.text).toBe("1");
    expect(one("```ts\nlog(1);\n```\n```console output\n1\n2\n```\n").blocks[0].expectedOutput?.text).toBe("1\n2");
    expect(one("```ts\nlog(1);\n```\n\n```text\n1\n```\n").blocks[0].expectedOutput).toBeUndefined();
  });

  it("allows one short paragraph in between", () => {
    expect(one("```ts\nlog(1);\n```\n\nIt prints:\n\n```output\n1\n```\n").blocks[0].expectedOutput?.text).toBe("1");
  });

  it("does not attach across a heading, two paragraphs or another fence, and warns", () => {
    for (const between of ["## Next\n\n", "One.\n\nTwo.\n\n", "```bash\nls\n```\n\n"]) {
      const r = one("```ts\nlog(1);\n```\n\n" + between + "```output\n1\n```\n");
      expect(r.blocks[0].expectedOutput, between).toBeUndefined();
      const expected = between.startsWith("```") ? [] : ["extract/orphan-output"];
      expect(r.findings.map((f) => f.ruleId), between).toEqual(expected);
    }
  });

  it("attaches to the nearest block only, and once", () => {
    const r = one("```ts\na();\n```\n\n```ts\nb();\n```\n\n```output\nB\n```\n\n```output\nC\n```\n");
    expect(r.blocks.map((b) => b.expectedOutput?.text)).toEqual([undefined, "B"]);
    expect(r.counts).toEqual({ fences: 4, checked: 2, skipped: 0, otherLanguage: 1, outputs: 1 });
  });

  it("handles an output fence in a blockquote and an empty one (bodySpan for --update)", () => {
    const source = "> ```ts\n> log(1);\n> ```\n>\n> ```output\n> 1\n> ```\n\n```ts\nx();\n```\n\n```output\n```\n";
    const r = one(source);
    const quoted = r.blocks[0].expectedOutput!;
    // Whole body lines, container prefix included.
    expect(source.slice(quoted.bodySpan.start.offset, quoted.bodySpan.end.offset)).toBe("> 1");
    const empty = r.blocks[1].expectedOutput!;
    expect(empty.text).toBe("");
    expect(empty.bodySpan.start).toEqual(empty.bodySpan.end);
    expect(empty.bodySpan.start.line).toBe(14);
  });

  it("handles a CRLF output fence", () => {
    const source = "```ts\r\nlog(1);\r\n```\r\n\r\n```output\r\n1\r\n2\r\n```\r\n";
    const out = one(source).blocks[0].expectedOutput!;
    expect(out.text).toBe("1\n2");
    expect(source.slice(out.bodySpan.start.offset, out.bodySpan.end.offset)).toBe("1\r\n2");
  });
});

describe("unterminated fences", () => {
  it("extracts the block and warns at the opening fence", () => {
    const r = extract(page("# T\n\n```ts\nconst a = 1;\n\nMore text that is now code.\n"));
    expect(r.blocks).toHaveLength(1);
    expect(r.blocks[0].id).toBe("docs/e.md#L3-L6");
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.place.start.line, f.blockId])).toEqual([
      ["extract/unterminated-fence", "warning", 3, "docs/e.md#L3-L6"],
    ]);
  });

  it("warns for an unterminated non-TS fence that swallows a TS block", () => {
    const r = extract(page("```bash\nnpm i\n\n```ts\nx();\n"));
    expect(r.blocks).toEqual([]);
    expect(r.findings.map((f) => f.ruleId)).toEqual(["extract/unterminated-fence"]);
  });

  it("does not confuse a shorter inner fence with the closing one", () => {
    const r = extract(page("````ts\na;\n```\n"));
    expect(r.findings.map((f) => f.ruleId)).toEqual(["extract/unterminated-fence"]);
    expect(r.blocks[0].code).toBe("a;\n```");
  });

  it("a fence closed by the end of its list item counts as unterminated", () => {
    const r = extract(page("- item\n\n  ```ts\n  a;\nnot in the list\n"));
    expect(r.findings.map((f) => f.ruleId)).toEqual(["extract/unterminated-fence"]);
  });

  it("a closed fence at EOF without newline is fine", () => {
    expect(extract(page("```ts\na;\n```")).findings).toEqual([]);
    expect(extract(page("~~~ts\na;\n~~~~")).findings).toEqual([]);
  });
});

describe("robustness", () => {
  it("handles a 5 MB page and counts right", () => {
    // ≈ 1,000 blocks of 40 lines of 125 characters: the Markdown parser's time grows with the lines (≈ 4 s of CPU
    // for 200,000 short lines), not with the bytes, so 50,000 long lines make the 5 MB at a quarter of the cost.
    const line = `const value: number = 1; // ${"x".repeat(95)}\n`;
    const unit =
      "## Section\n\nSome prose with `inline code` and a [link](https://example.com).\n\n" +
      "```ts\n" +
      line.repeat(40) +
      "```\n\n```bash\nnpm test\n```\n\n";
    const copies = Math.ceil(5_000_000 / unit.length);
    const source = unit.repeat(copies);
    expect(source.length).toBeGreaterThanOrEqual(5_000_000);
    expect(copies).toBeGreaterThan(900);
    const r = extract(page(source));
    expect(r.counts).toEqual({ fences: copies * 2, checked: copies, skipped: 0, otherLanguage: copies, outputs: 0 });
    expect(r.blocks).toHaveLength(copies);
    const last = r.blocks[copies - 1];
    expect(last.lineMap).toHaveLength(40);
    // Positions stay true at the end of the page: the last block's first code line, 1-based.
    expect(last.lineMap[0].line).toBe((copies - 1) * (unit.split("\n").length - 1) + 6);
    expect(last.code.split("\n")[39]).toBe(line.trimEnd());
    expect(last.index).toBe(copies - 1);
  });

  it("never throws on random bytes decoded as UTF-8", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 256;
    for (let round = 0; round < 5; round++) {
      const bytes = Buffer.from(Array.from({ length: 50_000 }, () => Math.floor(random())));
      const text = bytes.toString("utf8") + "\n```ts\n\u0000\uFFFD\n";
      for (const path of ["docs/bin.md", "docs/bin.mdx"]) {
        const r = extract(page(text, path));
        expect(r.counts.fences).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it("handles deeply nested quotes and lists", () => {
    const depth = 200;
    const quoted = extract(page(">".repeat(depth) + " ```ts\n" + ">".repeat(depth) + " deep();\n" + ">".repeat(depth) + " ```\n"));
    expect(quoted.blocks.map((b) => b.code)).toEqual(["deep();"]);
    expect(quoted.blocks[0].lineMap[0]).toMatchObject({ line: 2, shift: depth + 1 });

    const lines: string[] = [];
    for (let i = 0; i < 60; i++) lines.push(" ".repeat(i * 2) + "- level " + i);
    const indent = " ".repeat(60 * 2);
    const nested = lines.join("\n") + "\n\n" + indent + "```ts\n" + indent + "nested();\n" + indent + "```\n";
    const r = extract(page(nested));
    expect(r.blocks.map((b) => [b.code, b.lineMap[0].shift])).toEqual([["nested();", 120]]);
  });

  it("handles empty pages, empty fences and non-string sources", () => {
    expect(extract(page(""))).toEqual({ blocks: [], findings: [], counts: { fences: 0, checked: 0, skipped: 0, otherLanguage: 0, outputs: 0 } });
    const empty = extract(page("```ts\n```\n"));
    expect(empty.blocks[0].code).toBe("");
    expect(empty.blocks[0].lineMap).toHaveLength(1);
    const weird = extract({ path: "docs/x.md", abs: "/x", source: undefined as unknown as string });
    expect(weird.blocks).toEqual([]);
  });

  it("uses one processor per kind (parsing a page twice gives identical results)", () => {
    const p = fixture("guide.md");
    expect(extract(p)).toEqual(extract(p));
  });
});

describe("a block is complete and read-only when extract returns it", () => {
  it("decides the module format in extract (explicit extension, then syntax)", () => {
    const r = extract(page(["```js", "const fs = require('node:fs');", "```", "```ts", "import fs from 'node:fs';", "```", "```mjs", "const x = require;", "```", "```ts", "let a = 1;", "```", ""].join("\n")));
    expect(r.blocks.map((b) => b.format)).toEqual(["cjs", "esm", "esm", "esm"]);
  });

  it("carries its opening fence line and is frozen, output fence included", () => {
    const source = "Intro\r\n\r\n```ts title=a.ts\r\nconsole.log(1);\r\n```\r\n\r\n```output\r\n1\r\n```\r\n";
    const [block] = extract(page(source)).blocks;
    expect(block!.opening.start).toMatchObject({ line: 3, column: 1 });
    // The end of the opening line before its CRLF.
    expect(block!.opening.end).toEqual({ line: 3, column: 17, offset: source.indexOf("\r\nconsole") });
    expect(block!.expectedOutput?.text).toBe("1");
    expect(Object.isFrozen(block)).toBe(true);
    expect(Object.isFrozen(block!.attrs)).toBe(true);
    expect(Object.isFrozen(block!.lineMap)).toBe(true);
    expect(() => {
      (block as { format: string }).format = "cjs";
    }).toThrow(TypeError);
  });

  it("a page-level skip is part of every block before it is frozen", () => {
    const r = extract(page('<!-- validate-docs: disable-file reason="draft" -->\n\n```ts\nx;\n```\n'));
    expect(r.blocks[0]!.attrs.skip).toBe("draft");
    expect(Object.isFrozen(r.blocks[0]!.attrs)).toBe(true);
  });
});
