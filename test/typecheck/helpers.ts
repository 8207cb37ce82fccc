// Real fixture projects in temp dirs: a tsconfig with `extends` and a `paths` alias, a local package in
// node_modules, and a package.json with `exports` (self-reference). Nothing here is mocked.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { finishBlock } from "../../src/extract/block.js";
import type { CodeBlock, LineShift } from "../../src/types.js";
import { tempDir as sharedTempDir } from "../helpers.js";

export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

export function tempDir(prefix = "vd-typecheck-"): string {
  return sharedTempDir(prefix);
}

/** The standard fixture project; returns its root. */
export function makeProject(extra: Record<string, string> = {}): string {
  const root = tempDir();
  writeTree(root, {
    "package.json": JSON.stringify({ name: "my-pkg", type: "module", exports: { ".": "./lib/index.ts" } }),
    "tsconfig.base.json": JSON.stringify({
      compilerOptions: { strict: true, target: "ES2022", module: "ESNext", moduleResolution: "Bundler", lib: ["ES2022"], types: [] },
    }),
    // Comments and trailing commas: tsconfig is JSONC.
    "tsconfig.json": `{
  // project config
  "extends": "./tsconfig.base.json",
  "compilerOptions": {
    "paths": { "@lib/*": ["./lib/*"] },
    "noUnusedLocals": true,
    "composite": true,
    "rootDir": "./lib",
    "outDir": "./dist",
  },
  "include": ["lib"],
}
`,
    "lib/index.ts": `export function greet(name: string): string {\n  return "hi " + name;\n}\n`,
    "lib/math.ts": `export const add = (a: number, b: number): number => a + b;\n`,
    "node_modules/acme-sdk/package.json": JSON.stringify({ name: "acme-sdk", version: "1.0.0", types: "./index.d.ts", main: "./index.js" }),
    "node_modules/acme-sdk/index.d.ts": `export interface InitOptions { serviceName: string; sampleRate?: number }\nexport declare function init(options: InitOptions): void;\n`,
    "node_modules/acme-sdk/index.js": `export function init() {}\n`,
    ...extra,
  });
  return root;
}

/**
 * A CodeBlock built by hand for tests that do not go through Markdown: the fence opens at page line `fenceLine`
 * and every code line is indented by `indent` characters (as in a list item).
 */
export function handBlock(opts: {
  page?: string;
  index?: number;
  code: string;
  ext?: string;
  lang?: string;
  fenceLine?: number;
  indent?: number;
  attrs?: Partial<CodeBlock["attrs"]>;
}): CodeBlock {
  const page = opts.page ?? "docs/guide.md";
  const index = opts.index ?? 0;
  const ext = opts.ext ?? ".ts";
  const kind = /^\.[cm]?jsx?$/.test(ext) ? "js" : "ts";
  const fenceLine = opts.fenceLine ?? 1;
  const indent = opts.indent ?? 0;
  const lines = opts.code.split("\n");
  // Page offsets as if the page were: fence line, then each code line with `indent` spaces, then the closing fence.
  const lineMap: LineShift[] = [];
  let offset = 0;
  for (let l = 1; l < fenceLine; l++) offset += 1; // empty lines before the fence
  offset += indent + 6; // "```ts\n"
  for (const [i, line] of lines.entries()) {
    lineMap.push({ line: fenceLine + 1 + i, shift: indent, offset: offset + indent });
    offset += indent + line.length + 1;
  }
  const endLine = fenceLine + lines.length + 1;
  const fenceStart = { line: fenceLine, column: indent + 1, offset: fenceLine - 1 + indent };
  return finishBlock({
    id: `${page}#L${fenceLine}-L${endLine}`,
    page,
    index,
    lang: opts.lang ?? ext.slice(1),
    kind,
    ext,
    attrs: { extra: {}, ...opts.attrs },
    code: opts.code,
    fence: {
      start: fenceStart,
      end: { line: endLine, column: indent + 4, offset: offset + indent + 3 },
    },
    // "```ts" after the indent.
    opening: { start: fenceStart, end: { line: fenceLine, column: indent + 6, offset: fenceStart.offset + 5 } },
    lineMap,
  });
}
