import { describe, expect, it } from "vitest";
import { extract } from "../../src/extract/index.js";
import { fencePlace, lineColumnAt, toPagePlace, toPagePoint } from "../../src/extract/position.js";
import type { CodeBlock, Page } from "../../src/types.js";

function page(source: string, path = "docs/p.md"): Page {
  return { path, abs: `/root/${path}`, source };
}

function only(source: string, path?: string): { block: CodeBlock; source: string } {
  const result = extract(page(source, path));
  expect(result.blocks).toHaveLength(1);
  return { block: result.blocks[0], source };
}

interface PositionCase {
  name: string;
  source: string;
  path?: string;
  /** Expected code text (proves de-indentation). */
  code: string;
  /** Some exact mappings: block-local [line, column] → page [line, column]. */
  exact: [number, number, number, number][];
  /** Code chars that have no page character of their own (virtual spaces from a partly consumed tab). */
  virtual?: (line: number, column: number) => boolean;
}

const cases: PositionCase[] = [
  { name: "top-level fence", source: "# T\n\n```ts\nconst a = 1;\n```\n", code: "const a = 1;", exact: [[1, 7, 4, 7]] },
  {
    name: "indented fence (3 spaces; less-indented lines keep what they have)",
    source: "   ```ts\n   const a = 1;\n  b();\n c();\nd();\n   ```\n",
    code: "const a = 1;\nb();\nc();\nd();",
    exact: [[1, 1, 2, 4], [2, 1, 3, 3], [3, 1, 4, 2], [4, 1, 5, 1]],
  },
  {
    name: "fence in a list item",
    source: "- item\n\n  ```ts\n  const a = 1;\n    b();\n  ```\n",
    code: "const a = 1;\n  b();",
    exact: [[1, 1, 4, 3], [2, 3, 5, 5]],
  },
  {
    name: "nested list",
    source: "- a\n  - b\n\n    ```ts\n    x.y();\n    ```\n",
    code: "x.y();",
    exact: [[1, 3, 5, 7]],
  },
  {
    name: "ordered list with a wide marker",
    source: "10. step\n\n    ```ts\n    run(1);\n    ```\n",
    code: "run(1);",
    exact: [[1, 1, 4, 5]],
  },
  {
    name: "blockquote",
    source: "> ```ts\n> const a = 1;\n>   b();\n> ```\n",
    code: "const a = 1;\n  b();",
    exact: [[1, 1, 2, 3], [2, 3, 3, 5]],
  },
  {
    name: "blockquote without a space after >",
    source: ">```ts\n>const a = 1;\n> b();\n>```\n",
    code: "const a = 1;\nb();",
    exact: [[1, 1, 2, 2], [2, 1, 3, 3]],
  },
  {
    name: "blockquote inside a list",
    source: "- a\n\n  > ```ts\n  > const q = 2;\n  > ```\n",
    code: "const q = 2;",
    exact: [[1, 7, 4, 11]],
  },
  {
    name: "list in a quote in a list",
    source: "- a\n  - b\n    > - c\n    >   ```ts\n    >   x(1);\n    >   ```\n",
    code: "x(1);",
    exact: [[1, 3, 5, 11]],
  },
  { name: "tilde fence", source: "~~~ts\nconst t = 1;\n~~~\n", code: "const t = 1;", exact: [[1, 7, 2, 7]] },
  {
    name: "four backticks around a triple-backtick line",
    source: "````ts\nconst s = `\n```\n`;\n````\n",
    code: "const s = `\n```\n`;",
    exact: [[2, 1, 3, 1], [3, 2, 4, 2]],
  },
  {
    name: "CRLF line endings",
    source: "Intro\r\n\r\n```ts\r\nconst a = 1;\r\nb();\r\n```\r\n",
    code: "const a = 1;\nb();",
    exact: [[1, 1, 4, 1], [2, 4, 5, 4]],
  },
  {
    name: "lone CR line endings",
    source: "```ts\rconst a;\rb;\r```\r",
    code: "const a;\nb;",
    exact: [[2, 1, 3, 1]],
  },
  {
    name: "BOM at the start, fence on line 1",
    source: "\uFEFF```ts\nconst a = 1;\n```\n",
    code: "const a = 1;",
    exact: [[1, 1, 2, 1]],
  },
  {
    name: "BOM with a heading first",
    source: "\uFEFF# Title\n\n```ts\nlet z;\n```\n",
    code: "let z;",
    exact: [[1, 5, 4, 5]],
  },
  {
    name: "tabs fully consumed by a list item, tabs inside code",
    source: "- x\n\n\t```ts\n\tconst a\t= 1;\n\t\tb();\n\t```\n",
    code: "const a\t= 1;\n\tb();",
    exact: [[1, 9, 4, 10], [2, 2, 5, 3]],
  },
  {
    name: "tab partly consumed by a list item (virtual spaces)",
    source: "- x\n\n  ```ts\n\tconst a;\n  ```\n",
    code: "  const a;",
    // micromark turns the tab into 2 virtual spaces; `c` is page column 2, right after the tab.
    exact: [[1, 3, 4, 2], [1, 1, 4, 1]],
    virtual: (l, c) => l === 1 && c <= 2,
  },
  {
    name: "two tabs, the first partly consumed (ordered list)",
    source: "1. x\n\n   ```ts\n\t\tconst a;\n   ```\n",
    code: " \tconst a;",
    exact: [[1, 2, 4, 2], [1, 3, 4, 3]],
    virtual: (l, c) => l === 1 && c === 1,
  },
  { name: "fence at EOF without trailing newline", source: "```ts\nconst a = 1;\n```", code: "const a = 1;", exact: [[1, 12, 2, 12]] },
  { name: "unterminated fence (trailing newline)", source: "text\n\n```ts\nconst a = 1;\nb();\n", code: "const a = 1;\nb();", exact: [[2, 4, 5, 4]] },
  { name: "unterminated fence at EOF without newline", source: "```ts\nconst a = 1;", code: "const a = 1;", exact: [[1, 12, 2, 12]] },
  {
    name: "MDX JSX children",
    path: "docs/p.mdx",
    source: "<Tabs>\n  <Tab>\n\n  ```ts\n  const y = 1;\n  ```\n\n  </Tab>\n</Tabs>\n",
    code: "const y = 1;",
    exact: [[1, 7, 5, 9]],
  },
  {
    name: "footnote definition",
    source: "Text[^1]\n\n[^1]: note\n\n    ```ts\n    const f = 1;\n    ```\n",
    code: "const f = 1;",
    exact: [[1, 1, 6, 5]],
  },
  {
    name: "blank lines inside the code",
    source: "> ```ts\n> a();\n>\n> b();\n> ```\n",
    code: "a();\n\nb();",
    exact: [[3, 1, 4, 3], [2, 1, 3, 2]],
  },
];

describe("toPagePoint: every code character lands on the same character in the page", () => {
  it.each(cases)("$name", ({ source, path, code, exact, virtual }) => {
    const { block } = only(source, path);
    expect(block.code).toBe(code);
    expect(block.code).not.toContain("\r");
    const lines = block.code.split("\n");
    expect(block.lineMap).toHaveLength(lines.length);
    lines.forEach((text, i) => {
      for (let c = 1; c <= text.length; c++) {
        const p = toPagePoint(block, i + 1, c);
        // The point is self-consistent: its offset is at its line/column.
        expect(lineColumnAt(source, p.offset)).toEqual(p);
        if (virtual?.(i + 1, c)) continue;
        expect(source[p.offset], `code ${i + 1}:${c}`).toBe(text[c - 1]);
      }
    });
    for (const [l, c, pl, pc] of exact) {
      const p = toPagePoint(block, l, c);
      expect([l, c, p.line, p.column]).toEqual([l, c, pl, pc]);
    }
  });
});

describe("toPagePoint clamping", () => {
  const { block, source } = only("- x\n\n  ```ts\n  ab\n  cde\n  ```\n");
  it("clamps lines and columns into the block, never throws", () => {
    expect(toPagePoint(block, 0, 5)).toEqual(toPagePoint(block, 1, 1));
    expect(toPagePoint(block, -3, -3)).toEqual(toPagePoint(block, 1, 1));
    expect(toPagePoint(block, 99, 1)).toEqual(toPagePoint(block, 2, 4));
    expect(toPagePoint(block, 1, 99)).toEqual(toPagePoint(block, 1, 3));
    expect(toPagePoint(block, Number.NaN, Number.NaN)).toEqual(toPagePoint(block, 1, 1));
    const end = toPagePoint(block, 2, 4);
    expect(source.slice(end.offset - 3, end.offset)).toBe("cde");
    expect(end).toMatchObject({ line: 5, column: 6 });
  });
});

describe("toPagePlace", () => {
  const source = "Some text\n\n> ```ts\n> const answer = 42;\n> console.log(answer);\n> ```\n";
  const { block } = only(source);

  it("maps a one-line range so the page text equals the code text", () => {
    const start = block.code.indexOf("answer");
    const span = toPagePlace(block, start, start + "answer".length);
    expect(source.slice(span.start.offset, span.end.offset)).toBe("answer");
    expect(span.start).toMatchObject({ line: 4, column: 9 });
    expect(span.end).toMatchObject({ line: 4, column: 15 });
  });

  it("maps a range across lines", () => {
    const start = block.code.indexOf("42");
    const end = block.code.indexOf("log") + 3;
    const span = toPagePlace(block, start, end);
    expect(span.start).toMatchObject({ line: 4, column: 18 });
    expect(span.end).toMatchObject({ line: 5, column: 14 });
    expect(source.slice(span.end.offset - 3, span.end.offset)).toBe("log");
  });

  it("clamps offsets past the end, negative and reversed offsets", () => {
    const last = toPagePoint(block, 2, "console.log(answer);".length + 1);
    expect(toPagePlace(block, 0, 10_000).end).toEqual(last);
    expect(toPagePlace(block, 10_000, 20_000)).toEqual({ start: last, end: last });
    expect(toPagePlace(block, -5, 0).start).toEqual(toPagePoint(block, 1, 1));
    const reversed = toPagePlace(block, 8, 2);
    expect(reversed.end).toEqual(reversed.start);
  });

  it("maps an offset on a line ending to the end of that line", () => {
    const nl = block.code.indexOf("\n");
    const span = toPagePlace(block, nl, nl);
    expect(span.start).toMatchObject({ line: 4, column: "> const answer = 42;".length + 1 });
  });

  it("handles CRLF pages (code offsets are in the \\n-normalized code)", () => {
    const crlf = "```ts\r\nfoo();\r\nbar();\r\n```\r\n";
    const { block: b } = only(crlf);
    const at = b.code.indexOf("bar");
    const span = toPagePlace(b, at, at + 3);
    expect(crlf.slice(span.start.offset, span.end.offset)).toBe("bar");
    expect(span.start).toMatchObject({ line: 3, column: 1 });
  });
});

describe("fencePlace", () => {
  it("spans the opening fence line from the marker to the line end", () => {
    const source = "Intro\n\n  ```ts title=\"a.ts\"\n  x();\n  ```\n";
    const { block } = only(source);
    const span = fencePlace(block);
    expect(span.start).toEqual({ line: 3, column: 3, offset: 9 });
    expect(source.slice(span.start.offset, span.end.offset)).toBe('```ts title="a.ts"');
  });

  it("excludes the \\r of a CRLF line", () => {
    const source = "```ts no-run\r\nx();\r\n```\r\n";
    const { block } = only(source);
    const span = fencePlace(block);
    expect(source.slice(span.start.offset, span.end.offset)).toBe("```ts no-run");
    expect(span.end.column).toBe(13);
  });

  it("counts a BOM in the offset but not in the column", () => {
    const source = "\uFEFF```ts\nx();\n```\n";
    const { block } = only(source);
    expect(block.fence.start).toEqual({ line: 1, column: 1, offset: 1 });
    expect(fencePlace(block).end).toEqual({ line: 1, column: 6, offset: 6 });
  });

  it("still works on a block that crossed a process boundary (structured clone)", () => {
    const source = "- a\n\n  ```ts\n  x();\n  ```\n";
    const { block } = only(source);
    const cloned = structuredClone(block);
    expect(fencePlace(cloned)).toEqual(fencePlace(block));
    expect(toPagePoint(cloned, 1, 2)).toEqual(toPagePoint(block, 1, 2));
  });
});

describe("block fence span and lineMap", () => {
  it("covers the whole fence, closing marker included", () => {
    const source = "a\n\n```ts\nx();\n```\n\nb\n";
    const { block } = only(source);
    expect(source.slice(block.fence.start.offset, block.fence.end.offset)).toBe("```ts\nx();\n```");
    expect(block.lineMap).toEqual([{ line: 4, shift: 0, offset: 9 }]);
  });

  it("ends an unterminated fence at the end of its last line", () => {
    const source = "```ts\nx();\n";
    const { block } = only(source);
    expect(block.fence.end).toEqual({ line: 2, column: 5, offset: 10 });
  });

  it("records list indentation and quote markers as shifts", () => {
    const { block } = only("- a\n\n  > ```ts\n  > x;\n  > ```\n");
    expect(block.lineMap).toEqual([{ line: 4, shift: 4, offset: 19 }]);
  });
});

describe("lineColumnAt", () => {
  it("counts lines over \\n, \\r\\n and \\r", () => {
    const text = "ab\r\ncd\ref\ngh";
    expect(lineColumnAt(text, 0)).toEqual({ line: 1, column: 1, offset: 0 });
    expect(lineColumnAt(text, 4)).toEqual({ line: 2, column: 1, offset: 4 });
    expect(lineColumnAt(text, 7)).toEqual({ line: 3, column: 1, offset: 7 });
    expect(lineColumnAt(text, 10)).toEqual({ line: 4, column: 1, offset: 10 });
  });

  it("clamps out-of-range offsets and ignores a BOM in line 1 columns", () => {
    expect(lineColumnAt("abc", 99)).toEqual({ line: 1, column: 4, offset: 3 });
    expect(lineColumnAt("abc", -1)).toEqual({ line: 1, column: 1, offset: 0 });
    expect(lineColumnAt("\uFEFFabc", 2)).toEqual({ line: 1, column: 2, offset: 2 });
    expect(lineColumnAt("\uFEFFa\nb", 3)).toEqual({ line: 2, column: 1, offset: 3 });
  });
});
