// What a block carries from the blocks it sees (src/context/carry.ts), on real Markdown through extract.
import { describe, expect, it } from "vitest";
import { checkPrelude, runCarry } from "../../src/context/carry.js";
import { extract } from "../../src/extract/index.js";
import type { CodeBlock } from "../../src/types.js";

function blocksOf(...codes: string[]): CodeBlock[] {
  const source = codes.map((c) => "```ts\n" + c + "\n```\n").join("\n");
  return extract({ path: "docs/p.md", abs: "/r/docs/p.md", source }).blocks;
}

const seenBy = (blocks: CodeBlock[], b: CodeBlock) => blocks.filter((x) => b.context.includes(x.id));

describe("check prelude", () => {
  it("carries only what the block uses, transitively, in page order, without export modifiers", () => {
    const blocks = blocksOf(
      'import { readFile } from "node:fs/promises";\nexport const dir = "/tmp";\nconst unused = 1;',
      "export async function load(name: string) { return readFile(`${dir}/${name}`); }",
      'await load("a.txt");',
    );
    const prelude = checkPrelude(blocks[2]!, seenBy(blocks, blocks[2]!))!;
    expect(prelude.text.split("\n").map((l) => l.trim())).toEqual([
      'import { readFile } from "node:fs/promises";',
      'const dir = "/tmp";',
      "async function load(name: string) { return readFile(`${dir}/${name}`); }",
      "",
    ]);
    expect([...prelude.used.keys()]).toEqual(["load"]);
    expect(prelude.pieces.map((p) => p.block.index)).toEqual([0, 0, 1]);
  });

  it("a block's own names shadow carried ones, also inside destructuring and imports", () => {
    const blocks = blocksOf('import { a, b } from "m";\nconst { c, d } = { c: a, d: b };', "const c = 1;\nconst a = 2;\nconsole.log(a, b, c, d);");
    const prelude = checkPrelude(blocks[1]!, seenBy(blocks, blocks[1]!))!;
    // Bindings the block redeclares are renamed away; references inside carried code are left as written.
    expect(prelude.text).toBe('import { a as __vd_shadowed_a, b } from "m";\nconst { c: __vd_shadowed_c, d } = { c: a, d: b };\n');
  });

  it("a `var` hoisted out of a top-level loop shadows a carried name (no redeclaration at run time)", () => {
    const blocks = blocksOf("let i = 10;\nconst limit = 3;", "for (var i = 0; i < limit; i++) console.log(i);");
    expect(checkPrelude(blocks[1]!, seenBy(blocks, blocks[1]!))!.text).toBe("const limit = 3;\n");
    expect([...runCarry(blocks[1]!, seenBy(blocks, blocks[1]!)).take.keys()]).toEqual(["limit"]);
  });

  it("the latest declaration of a name wins", () => {
    const blocks = blocksOf("const client = 1;", 'const client = "two";', "client.toUpperCase();");
    const prelude = checkPrelude(blocks[2]!, seenBy(blocks, blocks[2]!))!;
    expect(prelude.text).toBe('const client = "two";\n');
  });

  it("goes after a shebang and pragma lines", () => {
    const blocks = blocksOf("const n = 1;", "#!/usr/bin/env node\n// @ts-check\nconsole.log(n);");
    expect(checkPrelude(blocks[1]!, seenBy(blocks, blocks[1]!))!.insertAt).toBe("#!/usr/bin/env node\n// @ts-check\n".length);
  });
});

describe("run carry", () => {
  it("re-imports carried value imports, takes carried values, never types", () => {
    const blocks = blocksOf('import fs, { type Stats } from "node:fs";\ninterface Opts { a: number }\nlet count = 0;\nfunction inc() { count++; }', "inc();\nconst s: Stats | undefined = undefined;\nconst o: Opts = { a: count };\nfs.existsSync('.');");
    const carry = runCarry(blocks[1]!, seenBy(blocks, blocks[1]!));
    expect(carry.imports).toEqual(['import fs from "node:fs";']);
    expect([...carry.take.keys()].sort()).toEqual(["count", "inc"]);
    expect(carry.give.sort()).toEqual(["count", "inc", "o", "s"]);
  });
});
