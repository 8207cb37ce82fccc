// One module format per block, shared by checking and running, in a default `npm init` (CommonJS) package with a
// nodenext tsconfig; and the tsconfig's jsx settings honoured when running. The blocks use only `console`: the
// tsconfigs take ES2022 and the test globals (TSCONFIG in test/helpers.ts), not the DOM lib a tsconfig without `lib`
// (or no tsconfig) loads, ≈ 0.5 s of CPU per run.
import { expect, it } from "vitest";
import { makeProject, readJson, runCli, TSCONFIG } from "../helpers.js";

const { lib, types, typeRoots } = JSON.parse(TSCONFIG).compilerOptions as Record<string, unknown>;
import path from "node:path";

it("require in a js block, top-level await in a ts block and react-jsx in a tsx block all check and run", () => {
  const dir = makeProject({
    "package.json": JSON.stringify({ name: "docs", version: "1.0.0", type: "commonjs" }),
    "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", jsx: "react-jsx", jsxImportSource: "myjsx", lib, types, typeRoots } }),
    "node_modules/myjsx/package.json": JSON.stringify({ name: "myjsx", version: "1.0.0", exports: { "./jsx-runtime": { types: "./jsx-runtime.d.ts", default: "./jsx-runtime.js" } } }),
    "node_modules/myjsx/jsx-runtime.js": "exports.jsx = (t, p) => ({ t, p }); exports.jsxs = exports.jsx; exports.Fragment = 'F';\n",
    "node_modules/myjsx/jsx-runtime.d.ts": "export declare function jsx(t: any, p: any): any;\nexport declare const jsxs: typeof jsx;\nexport declare const Fragment: any;\nexport declare namespace JSX { interface IntrinsicElements { [k: string]: any } type Element = any }\n",
    "docs/a.md": [
      "```js",
      'const path = require("path");',
      "console.log(path.sep);",
      "```",
      "",
      "```output",
      "/",
      "```",
      "",
      "```ts",
      "const r = await Promise.resolve(42);",
      "console.log(r);",
      "```",
      "",
      "```output",
      "42",
      "```",
      "",
      "```tsx",
      'const el = <div className="a">hi</div>;',
      "console.log(JSON.stringify(el));",
      "```",
      "",
      "```output",
      '{"t":"div","p":{"className":"a","children":"hi"}}',
      "```",
    ].join("\n"),
  });
  const r = runCli([], dir);
  expect(r.stdout).not.toMatch(/ error /);
  expect(r.code).toBe(0);
  const page = readJson(path.join(dir, "reports/pages/docs/a.md.json"));
  expect(page.blocks.map((b: { status: string; checks: string[] }) => [b.status, b.checks.includes("run")])).toEqual([
    ["passed", true],
    ["passed", true],
    ["passed", true],
  ]);
});

it("an ES module block that also calls require (next to a top-level await) runs with require; its own require wins", () => {
  const dir = makeProject({
    "package.json": JSON.stringify({ name: "docs", version: "1.0.0", type: "module" }),
    "tsconfig.json": TSCONFIG,
    "node_modules/lib/package.json": JSON.stringify({ name: "lib", version: "1.0.0", main: "index.js" }),
    "node_modules/lib/index.js": "module.exports = function lib(o) { return { ok: o.ok }; };\n",
    "docs/a.md": [
      "```js",
      "const lib = require('lib')({ ok: 1 });",
      "await Promise.resolve();",
      "console.log(lib.ok);",
      "```",
      "",
      "```output",
      "1",
      "```",
      "",
      "```js",
      'import { createRequire } from "node:module";',
      "const require = createRequire(import.meta.url);",
      'console.log(typeof require("lib"));',
      "```",
      "",
      "```output",
      "function",
      "```",
      "",
      // look-alike: require of a package that is not there still fails
      "```js check-js=off",
      "const missing = require('not-installed');",
      "await Promise.resolve(missing);",
      "```",
    ].join("\n"),
  });
  const r = runCli(["--no-cache"], dir);
  expect(r.code).toBe(1);
  const page = readJson(path.join(dir, "reports/pages/docs/a.md.json"));
  expect(page.blocks.map((b: { status: string; checks: string[] }) => `${b.status} ${b.checks.includes("run")}`)).toEqual(["passed true", "passed true", "failed true"]);
  const errors = page.findings.filter((f: { severity: string }) => f.severity === "error");
  expect(errors.map((f: { ruleId: string }) => f.ruleId)).toEqual(["run/threw"]);
  expect(errors[0].message).toContain("Cannot find module 'not-installed'");
  expect(errors[0].message).not.toContain("Dynamic require");
});
