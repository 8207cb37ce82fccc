// Page context, alternatives and hidden setup through the real CLI, on temp projects: a block sees the imports and
// declarations of the earlier blocks of its page for check, lint and run alike; findings stay on the reader's
// lines; carried code never gets a finding of its own; alternatives (tabs) see only what comes before their group
// and run in processes of their own; setup code (hidden in a comment, marked, or from config) comes first.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TSCONFIG, lineOf, makeProject, once, readJson, runCli } from "../helpers.js";
import type { CheckResult as Index, Finding as ReportFinding, PageResult as ReportPage } from "../../src/types.js";


/** A tiny SDK whose `start` may run once per process, like OpenTelemetry's global provider. */
const SDK = {
  "node_modules/sdk/package.json": JSON.stringify({ name: "sdk", version: "1.0.0", main: "index.js", types: "index.d.ts" }),
  "node_modules/sdk/index.js":
    'let started = false;\nexports.start = function start(name) {\n  if (started) throw new Error("the SDK is already started");\n  started = true;\n  return { name, trace(x) { return name + ":" + x; } };\n};\n',
  "node_modules/sdk/index.d.ts": "export declare function start(name: string): { name: string; trace(x: string): string };\n",
};

function project(files: Record<string, string>): string {
  return makeProject({ "package.json": JSON.stringify({ name: "docs", type: "module" }), "tsconfig.json": TSCONFIG, ...SDK, ...files });
}

function check(dir: string, args: string[] = []): { dir: string; code: number | null; pages: Map<string, ReportPage>; out: string } {
  const r = runCli(["--reporter", "json", ...args], dir);
  const index = readJson<Index>(path.join(dir, "reports/index.json"));
  return { dir, code: r.code, pages: new Map(index.pages.map((p) => [p.page, p])), out: r.stdout + r.stderr };
}

/** A block whose page context stopped (threw) before its declaration; a look-alike whose context ran still fails. */
const NOT_RUN = [
  "```ts",
  'const logger: { info(m: string): void } = JSON.parse("{");', // throws before `logger` is declared
  "```",
  "",
  "```ts",
  'logger.info("uses the logger");',
  "```",
  "",
  "```ts",
  "const config = { level: 1 } as { level: number; child?: { name: string } };",
  "```",
  "",
  // look-alike: the context is there (declared, its block ran), the block's own bug still throws
  "```ts",
  "console.log(config.child!.name);",
  "```",
  "",
].join("\n");

/** After a block that ends the page (process.exit), the rest runs on in a fresh process. */
const RUNS_ON = [
  "```ts",
  'const greeting = "hi";',
  "```",
  "",
  "```ts",
  "const code = 0;",
  "(globalThis as any).process.exit(code);",
  "```",
  "",
  "```ts",
  'console.log(greeting + "!");',
  "```",
  "",
  "```output",
  "hi!",
  "```",
  "",
  "```ts",
  "console.log(code);", // what the exiting block declares is not there: not run, and said so
  "```",
  "",
].join("\n");

/** The two pages above, whose runs fail, are pages of the shared run below (exit 1). */
function failingPage(page: string): ReportPage {
  const r = pagesRun();
  expect(r.code, r.out).toBe(1);
  return r.pages.get(page)!;
}

/**
 * The pages of this file share one project and one CLI run: a CLI run costs a compiler start and the lib files, and
 * the pages do not interact (page context is per page, each page runs in processes of its own). The config's
 * `context` and `setup` apply to docs/ref/** and docs/sdk/** only, where the pages of the tests of those options
 * are (`configured`); the other pages (`plain`) are outside both globs. The run starts when the first test that
 * needs it does.
 */
const plain: Record<string, string> = { "docs/not-run.md": NOT_RUN, "docs/runs-on.md": RUNS_ON };
const configured: Record<string, string> = {};
const pagesRun = once(() =>
  check(
    project({
      ...plain,
      ...configured,
      "validate-docs.config.json": JSON.stringify({ context: { "docs/ref/**": "none" }, setup: { "docs/sdk/**": "docs/sdk/setup.ts" } }),
    }),
  ),
);

const show = (p: ReportPage | undefined) => JSON.stringify(p?.findings.map((f) => `${f.ruleId}@${f.place.start.line}: ${f.message}`), null, 1);

describe("page context", () => {
  const guide = [
    "# Guide",
    "",
    "```ts",
    'import { start } from "sdk";',
    "class Store {",
    "  items: string[] = [];",
    "  add(item: string): number { return this.items.push(item); }",
    "}",
    "const store = new Store();",
    "let count = 0;",
    "function explode(): never { throw new Error(\"boom from a helper\"); }",
    "const broken: number = \"not a number\";",
    "function later(): Promise<void> { Promise.resolve(1); return Promise.resolve(); }",
    "```",
    "",
    "Add an item:",
    "",
    "```ts",
    'store.add("apple");',
    "count++;",
    "if (store.items.length !== 1 || count !== 1) throw new Error(`state was not carried: ${store.items.length} ${count}`);",
    "await later();",
    "console.log(typeof start, broken);",
    "```",
    "",
    "A bug the reader would hit:",
    "",
    "```ts",
    'store.remove("apple");',
    "```",
    "",
    "A helper that throws:",
    "",
    "```ts",
    "const before = count;",
    "explode();",
    "```",
    "",
    "A block that redeclares a name shadows it:",
    "",
    "```ts",
    "const store = 42;",
    "console.log(store.toFixed(1), count);",
    "```",
    "",
    "```ts context=none",
    "console.log(store);",
    "```",
    "",
  ].join("\n");

  plain["docs/guide.md"] = guide;
  it("carries imports and declarations into check, lint and run; findings stay on the reader's lines", () => {
    const { code, pages } = pagesRun();
    expect(code).toBe(1);
    const page = pages.get("docs/guide.md")!;
    const at = (ruleId: string) => page.findings.filter((f) => f.ruleId === ruleId).map((f) => f.place.start.line);

    // The origin's own error is reported once, on the origin; its carried copies never get a finding.
    expect(at("ts2322"), show(page)).toEqual([lineOf(guide, "const broken")]);
    // Lint: the floating promise inside `later` is reported on its own block only, not where `later` is carried.
    expect(at("no-floating-promise"), show(page)).toEqual([lineOf(guide, "function later")]);
    // A real bug is still an error, at the reader's line.
    expect(at("ts2339"), show(page)).toEqual([lineOf(guide, "store.remove")]);
    expect(page.findings.find((f) => f.ruleId === "ts2339")?.hint).toContain(`\`store\` comes from docs/guide.md:${lineOf(guide, "const store = new")}:1`);
    // No block errs because a name comes from an earlier block, and the shadowing `const store = 42` is no redeclaration.
    expect(page.findings.filter((f) => ["ts2304", "ts2451", "ts2552"].includes(f.ruleId)).length, show(page)).toBe(1);
    // ... except the `context=none` block, which sees nothing.
    expect([...at("ts2304"), ...at("ts2552")]).toEqual([lineOf(guide, "console.log(store);")]);

    // Run: state is carried (the second block's own check passed), the helper's throw is reported on the reader's
    // calling line and names the page line it came from.
    const threw = page.findings.filter((f) => f.ruleId === "run/threw");
    const explode = threw.find((f) => f.message.includes("boom from a helper"));
    expect(explode, show(page)).toBeDefined();
    expect(explode!.place.start.line).toBe(lineOf(guide, "explode();"));
    expect(explode!.message).toContain(`docs/guide.md:${lineOf(guide, 'throw new Error("boom')}:`);
    expect(threw.some((f) => f.message.includes("state was not carried"))).toBe(false);
    expect(page.blocks.find((b) => b.line === lineOf(guide, 'store.add("apple")') - 1)?.status).toBe("passed");
    // The shadowing block runs with its own `store`.
    expect(page.blocks.find((b) => b.line === lineOf(guide, "const store = 42") - 1)?.status).toBe("passed");
  });

  const contextPage = ["```ts", "const n = 1;", "```", "", "```ts", "console.log(n);", "```", ""].join("\n");
  Object.assign(configured, {
    "docs/on.md": contextPage,
    "docs/off.md": `<!-- validate-docs: context-file=none -->\n\n${contextPage}`,
    "docs/ref/api.md": contextPage,
  });
  it("`context-file=none` on a page and `context` in config turn it off", () => {
    const { pages } = pagesRun();
    const undeclared = (p: string) => pages.get(p)!.findings.filter((f) => f.ruleId === "ts2304").length;
    expect(undeclared("docs/on.md")).toBe(0);
    expect(undeclared("docs/off.md")).toBe(1);
    expect(undeclared("docs/ref/api.md")).toBe(1);
  });

  const posPage = ["```ts", "const base = 10;", "```", "", "```ts", "#!/usr/bin/env node", "// @ts-check", "const total: string = base;", "throw new Error(`total ${total}`);", "```", ""].join("\n");
  plain["docs/pos.md"] = posPage;
  it("keeps exact positions after a shebang and pragma lines, for check and run", () => {
    const page = posPage;
    const { pages } = pagesRun();
    const findings = pages.get("docs/pos.md")!.findings;
    const ts2322 = findings.find((f) => f.ruleId === "ts2322");
    expect(ts2322?.place.start).toMatchObject({ line: lineOf(page, "const total"), column: 7 });
    const threw = findings.find((f) => f.ruleId === "run/threw");
    expect(threw?.place.start).toMatchObject({ line: lineOf(page, "throw new Error(`total"), column: 7 });
    expect(threw?.message).toContain("total 10");
  });

  it("a block whose page context stopped before its declaration is not run, and says so; one whose context ran still fails", () => {
    const p = failingPage("docs/not-run.md");
    const of = (i: number): string[] => p.findings.filter((f) => f.blockId === p.blocks[i]!.id).map((f) => `${f.ruleId} ${f.severity}`);
    expect(of(0)).toEqual(["run/threw error"]);
    expect(of(1)).toEqual(["run/context-not-run info"]);
    expect(p.findings.find((f) => f.ruleId === "run/context-not-run")!.message).toContain("`logger`");
    expect(p.blocks[1]).toMatchObject({ status: "skipped", stop: { reason: "not-run" } });
    expect(p.blocks[1]!.stop!.detail).toContain("`logger`");
    expect(p.blocks[1]!.checks).not.toContain("run");
    expect(of(3)).toEqual(["run/threw error"]);
    expect(p.findings.find((f) => f.blockId === p.blocks[3]!.id)!.message).toContain("TypeError");
  });

  it("after a block that ends the page (process.exit), the rest runs on in a fresh process with the page context", () => {
    const p = failingPage("docs/runs-on.md");
    expect(p.findings.map((f) => `${f.ruleId} ${f.severity} ${p.blocks.findIndex((b) => b.id === f.blockId)}`)).toEqual([
      "run/exit error 1",
      "run/context-not-run info 3",
    ]);
    expect(p.findings[0]!.message).toContain(`remaining blocks (line ${p.blocks[2]!.line}, line ${p.blocks[3]!.line}) ran on in a fresh process`);
    expect(p.blocks.map((b) => `${b.status} ${b.level}`)).toEqual(["passed run", "failed run", "passed run", "skipped typecheck"]);
    expect(p.blocks[3]!.stop).toMatchObject({ reason: "not-run" });
  });
});

describe("alternatives", () => {
  const tabsBody = (open: string, item: (label: string) => string, close: string, end: string) =>
    [
      "# Start",
      "",
      "```ts",
      'const service = "checkout";',
      "```",
      "",
      open,
      item("TypeScript"),
      "",
      "```ts",
      'import { start } from "sdk";',
      "const sdk = start(service);",
      "const onlyInTs = 1;",
      "```",
      "",
      end,
      item("JavaScript"),
      "",
      "```ts",
      'import { start } from "sdk";',
      "const sdk = start(service + \"-js\");",
      "type FromOtherTab = typeof onlyInTs;",
      "```",
      "",
      end,
      close,
      "",
      "Then:",
      "",
      "```ts",
      'console.log(sdk.trace("a"));',
      "```",
      "",
    ].join("\n");

  const tabs = [
    ["MDX <Tabs>", "docs/tabs.mdx", "<Tabs>", (l: string) => `<TabItem value="${l}">`, "</Tabs>", "</TabItem>"],
    ["HTML <Tabs> in Markdown", "docs/html.md", "<Tabs>", (l: string) => `<TabItem value="${l}">`, "</Tabs>", "</TabItem>"],
    ["Hugo tabpane", "docs/hugo.md", "{{< tabpane text=true >}}", (l: string) => `{{% tab ${l} %}}`, "{{< /tabpane >}}", "{{% /tab %}}"],
  ] as const;
  for (const [, file, open, item, close, end] of tabs) plain[file] = tabsBody(open, item, close, end);
  plain["docs/sequence.md"] = tabsBody("", () => "", "", "");

  it.each(tabs)("%s: each tab sees only the context before the group and runs in its own process", (_name, file, open, item, close, end) => {
    const page = tabsBody(open, item, close, end);
    const { pages } = pagesRun();
    const tabs = pages.get(file)!;
    // The second tab does not see the first: `onlyInTs` is undeclared there, and nothing else fails.
    expect(tabs.findings.map((f) => `${f.ruleId}@${f.place.start.line}`), show(tabs)).toEqual([`ts2304@${lineOf(page, "typeof onlyInTs")}`]);
    // Without tabs the same blocks are a sequence: the second `start` collides, and `sdk` is redeclared legally.
    const sequence = pages.get("docs/sequence.md")!;
    expect(sequence.findings.some((f) => f.ruleId === "run/threw" && f.message.includes("already started")), show(sequence)).toBe(true);
  });

  plain["docs/or.md"] = [
    "```js",
    'import { start } from "sdk";',
    'const sdk = start("esm");',
    "```",
    "",
    "Or with CommonJS:",
    "",
    "```js",
    'const { start } = require("sdk");',
    'const sdk = start("cjs");',
    "```",
    "",
  ].join("\n");
  it('"Or with CommonJS:" marks an alternative', () => {
    const { pages } = pagesRun();
    expect(pages.get("docs/or.md")!.findings, show(pages.get("docs/or.md"))).toEqual([]);
    // (The shared run's exit code reflects the other pages; the page's own status is what this one decides.)
    expect(pages.get("docs/or.md")!.blocks.map((b) => b.status)).toEqual(["passed", "passed"]);
  });
});

describe("setup", () => {
  const setupPage = [
    "# Client",
    "",
    "<!-- validate-docs: setup",
    "```ts",
    'const apiKey: string = "test-key";',
    "```",
    "-->",
    "",
    "```ts",
    "const client = { key: apiKey, region };",
    'if (client.key !== "test-key" || client.region !== "eu") throw new Error("setup did not run first");',
    "```",
    "",
    "<!-- validate-docs: setup -->",
    "```ts",
    'const region = "eu";',
    "const wrong: number = region;",
    "```",
    "",
  ].join("\n");
  plain["docs/setup.md"] = setupPage;
  it("hidden setup in a comment and a marked setup block come first for check and run; their own errors stay on their lines", () => {
    const page = setupPage;
    const { pages } = pagesRun();
    const result = pages.get("docs/setup.md")!;
    // Only the setup block's own error, at its own line; the reader sees `apiKey` and `region` and runs after both.
    expect(result.findings.map((f) => `${f.ruleId}@${f.place.start.line}:${f.place.start.column}`), show(result)).toEqual([`ts2322@${lineOf(page, "const wrong")}:7`]);
    expect(result.blocks.map((b) => b.line)).toEqual([lineOf(page, "```ts"), lineOf(page, "const client") - 1, lineOf(page, 'const region') - 1]);
    expect(result.blocks.every((b) => b.checks.includes("run"))).toBe(true);
  });

  Object.assign(configured, {
    "docs/sdk/setup.ts": 'import { start } from "sdk";\nimport { region } from "../../lib/region.js";\nconst sdk = start(`setup-${region}`);\nconst apiKey: string = "test-key";\nconst oops: number = "x";\n',
    "lib/region.ts": 'export const region = "eu";\n',
    "docs/sdk/a.md": "```ts\nconsole.log(sdk.trace(apiKey));\n```\n\n```output\nsetup-eu:test-key\n```\n",
    "docs/sdk/b.md": "```ts\nconsole.log(sdk.trace(apiKey));\n```\n\n```output\nsetup-eu:test-key\n```\n",
    "docs/other.md": "```ts\nconsole.log(apiKey);\n```\n",
  });
  it("config `setup` files per page glob come first on matching pages; their own findings are reported once, on the file", () => {
    const { pages } = pagesRun();
    for (const p of ["docs/sdk/a.md", "docs/sdk/b.md"]) {
      expect(pages.get(p)!.findings, show(pages.get(p))).toEqual([]);
      expect(pages.get(p)!.blocks.map((b) => b.status)).toEqual(["passed"]);
    }
    expect(pages.get("docs/other.md")!.findings.map((f) => f.ruleId)).toContain("ts2304");
    const setup = pages.get("docs/sdk/setup.ts")!;
    expect(setup.findings.map((f) => `${f.ruleId}@${f.place.start.line}:${f.place.start.column}`)).toEqual(["ts2322@5:7"]);
  });

  it("a missing config setup file is a configuration error", () => {
    const dir = project({ "docs/a.md": "```ts\nconst a = 1;\n```\n", "validate-docs.config.json": JSON.stringify({ setup: { "docs/**": "setup.ts" } }) });
    const r = runCli([], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("setup file not found: setup.ts");
  });

  // The first check of this page is the shared run's (every stage; it writes the project's result cache); the page is
  // then changed in that project and checked alone (--no-run: what the cache keys is the type-check's result).
  const cachePage = (type: string, value: string) => ["```ts", `const n: ${type} = ${value};`, "```", "", "```ts", "const s: string = n;", "console.log(s);", "```", ""].join("\n");
  plain["docs/cache.md"] = cachePage("number", "1");
  it("the result cache keys a block by what it carries: changing an earlier block re-checks the blocks that use it", () => {
    const first = pagesRun();
    expect(first.pages.get("docs/cache.md")!.findings.map((f) => f.ruleId)).toEqual(["ts2322"]);
    fs.writeFileSync(path.join(first.dir, "docs/cache.md"), cachePage("string", '"1"'));
    const second = check(first.dir, ["--no-run", "docs/cache.md"]);
    expect([...second.pages.keys()]).toEqual(["docs/cache.md"]);
    expect(second.pages.get("docs/cache.md")!.findings).toEqual([]);
    expect(second.code).toBe(0);
  });
});
