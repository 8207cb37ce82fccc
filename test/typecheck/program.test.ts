import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { createBlockProgram } from "../../src/typecheck/program.js";
import type { BlockProgram } from "../../src/typecheck/program-types.js";
import type { CodeBlock } from "../../src/types.js";
import { handBlock, makeProject, tempDir, writeTree } from "./helpers.js";

/** Raw TypeScript codes of one block, syntactic then semantic. */
function codes(bp: BlockProgram, block: CodeBlock): number[] {
  const sf = bp.sourceFileOf(block);
  if (!sf) throw new Error(`block ${block.id} is not in the program`);
  return [...bp.program.getSyntacticDiagnostics(sf), ...bp.program.getSemanticDiagnostics(sf)].map((d) => d.code);
}

function withProject(blocks: CodeBlock[], extra?: Record<string, string>) {
  const root = makeProject(extra);
  const bp = createBlockProgram(blocks, { root, tsconfig: path.join(root, "tsconfig.json"), checkJs: false });
  return { root, bp };
}

describe("createBlockProgram with the user's tsconfig", () => {
  test("resolves a local package from node_modules and reports an excess property", () => {
    const ok = handBlock({ index: 0, code: `import { init } from "acme-sdk";\ninit({ serviceName: "shop" });\n` });
    const bad = handBlock({ index: 1, code: `import { init } from "acme-sdk";\ninit({ serviceName: "shop", instrumentors: [] });\n` });
    const { bp } = withProject([ok, bad]);
    expect(codes(bp, ok)).toEqual([]);
    expect(codes(bp, bad)).toEqual([2353]);
  });

  test("resolves a paths alias and the package's own name through its exports", () => {
    const alias = handBlock({ index: 0, code: `import { add } from "@lib/math";\nconst n: number = add(1, 2);\nconst s: string = add(1, 2);\n` });
    const self = handBlock({ index: 1, code: `import { greet } from "my-pkg";\nconst n: number = greet("a");\n` });
    const { bp } = withProject([alias, self]);
    expect(codes(bp, alias)).toEqual([2322]);
    expect(codes(bp, self)).toEqual([2322]);
  });

  test("an unresolvable import is TS2307", () => {
    const block = handBlock({ code: `import { nope } from "not-installed";\n` });
    const { bp } = withProject([block]);
    expect(codes(bp, block)).toEqual([2307]);
  });

  test("follows the extends chain (strict from the base config)", () => {
    const block = handBlock({ code: `export function f(x) { return x; }\n` });
    const { bp } = withProject([block]);
    expect(codes(bp, block)).toEqual([7006]);
    expect(bp.program.getCompilerOptions().strict).toBe(true);
  });

  test("overrides: unused names allowed, emit-only options dropped, no diagnostics from include/composite/rootDir", () => {
    const block = handBlock({ page: "docs/deep/nested/page.md", code: `const unused = 1;\nfunction helper(a: number) {}\n` });
    const { bp } = withProject([block]);
    expect(codes(bp, block)).toEqual([]);
    expect(bp.program.getOptionsDiagnostics().map((d) => d.code)).toEqual([]);
    expect(bp.program.getGlobalDiagnostics().map((d) => d.code)).toEqual([]);
    const o = bp.program.getCompilerOptions();
    expect(o.noEmit).toBe(true);
    expect(o.moduleDetection).toBe(ts.ModuleDetectionKind.Force);
    expect(o.noUnusedLocals).toBe(false);
    expect(o.composite).toBeUndefined();
    expect(o.rootDir).toBeUndefined();
  });

  test("tsconfig include/files are ignored: only blocks are root files", () => {
    const a = handBlock({ index: 0, code: `export const a = 1;\n` });
    const b = handBlock({ index: 1, code: `export const b = 2;\n` });
    const { bp, root } = withProject([a, b], { "lib/broken.ts": `const x: number = "not checked";\n` });
    expect(bp.program.getRootFileNames()).toHaveLength(2);
    expect(bp.program.getSourceFile(path.join(root, "lib/broken.ts"))).toBeUndefined();
  });

  test("each block is its own module: the same top-level name in two blocks does not clash", () => {
    const a = handBlock({ index: 0, code: `const client = 1;\n` });
    const b = handBlock({ index: 1, code: `const client = "two";\n` });
    const { bp } = withProject([a, b]);
    expect(codes(bp, a)).toEqual([]);
    expect(codes(bp, b)).toEqual([]);
  });

  test("imports resolve from the page's directory: a nested package's node_modules", () => {
    const extra = {
      "packages/app/node_modules/only-app/package.json": JSON.stringify({ name: "only-app", types: "index.d.ts" }),
      "packages/app/node_modules/only-app/index.d.ts": `export declare const flag: boolean;\n`,
    };
    const inApp = handBlock({ page: "packages/app/docs/readme.md", code: `import { flag } from "only-app";\nconst f: boolean = flag;\n` });
    const atRoot = handBlock({ page: "docs/guide.md", code: `import { flag } from "only-app";\n` });
    const { bp } = withProject([inApp, atRoot], extra);
    expect(codes(bp, inApp)).toEqual([]);
    expect(codes(bp, atRoot)).toEqual([2307]);
  });

  test("a page in a directory that does not exist on disk still resolves from node_modules above it", () => {
    const block = handBlock({ page: "docs/generated/not-there/x.md", code: `import { init } from "acme-sdk";\ninit({ serviceName: 1 });\n` });
    const { bp } = withProject([block]);
    expect(codes(bp, block)).toEqual([2322]);
  });

  test("skipped blocks are not in the program; JS blocks are", () => {
    const skipped = handBlock({ index: 0, code: `const x: number = "s";\n`, attrs: { skip: "needs a key" } });
    const js = handBlock({ index: 1, ext: ".js", code: `const x = 1;\n` });
    const { bp } = withProject([skipped, js]);
    expect(bp.sourceFileOf(skipped)).toBeUndefined();
    const sf = bp.sourceFileOf(js);
    expect(sf).toBeDefined();
    expect(bp.blockOf(sf!.fileName)).toBe(js);
    expect(bp.toBlockOffset(js, 5)).toBe(5);
  });

  test("block files are virtual: nothing is written next to the page", () => {
    const block = handBlock({ page: "docs/guide.md", code: `export const a = 1;\n` });
    const { bp, root } = withProject([block]);
    bp.program.getSemanticDiagnostics();
    expect(fs.existsSync(path.join(root, "docs"))).toBe(false);
  });

  test("one program for 200 blocks, each with its own diagnostics", () => {
    const blocks = Array.from({ length: 200 }, (_, i) =>
      handBlock({ index: i, code: i % 2 === 0 ? `const v${i}: number = ${i};\n` : `const v${i}: number = "${i}";\n` }),
    );
    const { bp } = withProject(blocks);
    expect(bp.program.getRootFileNames()).toHaveLength(200);
    for (const [i, block] of blocks.entries()) expect(codes(bp, block)).toEqual(i % 2 === 0 ? [] : [2322]);
  });
});

describe("createBlockProgram without a tsconfig", () => {
  test("defaults: strict, ES2022 and DOM libs, bundler resolution", () => {
    const root = makeProject();
    const strict = handBlock({ index: 0, code: `export function f(x) { return x; }\n` });
    const libs = handBlock({ index: 1, code: `const t: string = document.title;\nconst o = Object.hasOwn({ a: 1 }, "a");\nconst last = [1, 2].at(-1);\n` });
    const pkg = handBlock({ index: 2, code: `import { init } from "acme-sdk";\ninit({ serviceName: "s" });\n` });
    const bp = createBlockProgram([strict, libs, pkg], { root, checkJs: false });
    expect(codes(bp, strict)).toEqual([7006]);
    expect(codes(bp, libs)).toEqual([]);
    expect(codes(bp, pkg)).toEqual([]);
  });

  test("a second program in the same process gives the same diagnostics (shared lib cache)", () => {
    const root = makeProject();
    const block = handBlock({ code: `const n: number = [1].at(0);\n` });
    const first = createBlockProgram([block], { root, checkJs: false });
    const second = createBlockProgram([block], { root, checkJs: false });
    expect(codes(first, block)).toEqual([2322]);
    expect(codes(second, block)).toEqual([2322]);
  });
});

describe("tsconfig errors are ConfigErrors with file:line:col", () => {
  function configError(files: Record<string, string>, tsconfig = "tsconfig.json"): ConfigError {
    const root = tempDir();
    writeTree(root, files);
    try {
      createBlockProgram([handBlock({ code: "export {};\n" })], { root, tsconfig: path.join(root, tsconfig), checkJs: false });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return err as ConfigError;
    }
    throw new Error("expected a ConfigError");
  }

  test("syntax error", () => {
    const err = configError({ "tsconfig.json": `{\n  "compilerOptions": {\n    "strict": true\n    "target": "ES2022"\n  }\n}\n` });
    expect(err.message).toMatch(/tsconfig\.json:4:5: invalid tsconfig: .*',' expected.*\(TS1005\)/);
  });

  test("missing file", () => {
    const err = configError({}, "nope.json");
    expect(err.message).toContain("nope.json");
    expect(err.message).toMatch(/TS5083/);
  });

  test("unknown compiler option, with its position", () => {
    const err = configError({ "tsconfig.json": `{\n  "compilerOptions": {\n    "strictt": true\n  }\n}\n` });
    expect(err.message).toMatch(/tsconfig\.json:3:5: .*strictt.*\(TS5025\)/);
  });

  test("an extends target that does not exist", () => {
    const err = configError({ "tsconfig.json": `{ "extends": "./missing.json" }\n` });
    expect(err.message).toMatch(/tsconfig\.json: invalid tsconfig: .*missing\.json.*\(TS5083\)/);
  });

  test("a syntax error in an extended config names that file", () => {
    const err = configError({ "tsconfig.json": `{ "extends": "./base.json" }\n`, "base.json": `{\n  "compilerOptions": { "strict": tru }\n}\n` });
    expect(err.message).toMatch(/base\.json:2:\d+: /);
  });
});
