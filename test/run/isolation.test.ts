// Isolation, timeouts, process trees, big output and module formats, on real pages and real processes.
import { getEventListeners } from "node:events";
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { once } from "../helpers.js";
import { runPages } from "../../src/run/index.js";
import { ensureHarness, fence, isAlive, lineOf, loadPage, makeProject, options, pageOfRun, runDocs } from "./helpers.js";

beforeAll(ensureHarness);

/**
 * The pages of the tests below that run with the default options, in one project (the project's own package is
 * `my-lib`, for the resolution test) and one run: a run starts its runner processes and its build once, and each page
 * runs in a fresh thread of its own. Each test reads its own page's findings, ran blocks and outputs. The run starts
 * when the first test that needs it does. (The fresh-realm test keeps runs of its own: what it checks is pages that
 * share a runner, which a larger run would no longer make sure of.)
 */
const FILES: Record<string, string> = {};
const PAGES: string[] = [];
const sharedRun = once(async () => {
  const root = makeProject(FILES);
  return { root, ...(await runDocs(root, PAGES)) };
});

/** One page of the shared run (pageOfRun), and the shared project's root. */
async function pageRun(rel: string) {
  const run = await sharedRun();
  return { root: run.root, ...pageOfRun(run, rel) };
}

/** Adds files to the shared project and names its page. */
function shared(rel: string, files: Record<string, string>): void {
  Object.assign(FILES, files);
  PAGES.push(rel);
}

describe("isolation", () => {
  shared("docs/globals.md", { "docs/globals.md": ["# P", fence("ts", "(globalThis as any).counter = 41;"), fence("ts", "const g = globalThis as any;\ng.counter += 1;\nif (g.counter !== 42) throw new Error(`counter is ${g.counter}`);")].join("\n") });
  it("shares globals between the blocks of one page", async () => {
    const { findings, ran } = await pageRun("docs/globals.md");
    expect(findings).toEqual([]);
    expect(ran).toHaveLength(2);
  });

  it("gives every page a fresh realm: globals, module singletons, env and cwd do not leak", async () => {
    const claim = (name: string): string =>
      fence("ts", [
        "import { claim } from 'registry';",
        "const g = globalThis as any;",
        "if (g.owner !== undefined) throw new Error(`global leaked from ${g.owner}`);",
        "if (process.env.PAGE_OWNER !== undefined) throw new Error(`env leaked from ${process.env.PAGE_OWNER}`);",
        "if (process.cwd().endsWith('moved')) throw new Error('cwd leaked');",
        `g.owner = '${name}';`,
        `process.env.PAGE_OWNER = '${name}';`,
        "const fs = await import('node:fs');",
        "fs.mkdirSync('moved');",
        "process.chdir('moved');",
        `claim('${name}');`,
      ].join("\n"));
    const root = makeProject({
      "node_modules/registry/package.json": JSON.stringify({ name: "registry", type: "module", exports: "./index.js" }),
      "node_modules/registry/index.js": "let owner;\nexport function claim(name) { if (owner) throw new Error(`registry already claimed by ${owner}`); owner = name; }\n",
      "docs/a.md": "# A\n\n" + claim("a"),
      "docs/b.md": "# B\n\n" + claim("b"),
      "docs/c.md": "# C\n\n" + claim("c"),
    });
    for (const concurrency of [1, 2]) {
      const { findings, ran } = await runDocs(root, ["docs/a.md", "docs/b.md", "docs/c.md"], { concurrency });
      expect(findings).toEqual([]);
      expect(ran.size).toBe(3);
    }
  });
});

describe("timeouts and process trees", () => {
  shared("docs/loop.md", { "docs/loop.md": ["# P", fence("ts", "console.log(process.pid);"), fence("ts timeout=300", "while (true) {}"), fence("ts", "console.log('after');")].join("\n") });
  it("stops a sync infinite loop, kills the process, and reports the rest as not run", async () => {
    const { findings, ran, outputs, blocks } = await pageRun("docs/loop.md");
    expect(findings.map((f) => [f.ruleId, f.blockId])).toEqual([["run/timeout", blocks[1]!.id]]);
    expect(findings[0]!.message).toContain("300 ms");
    expect(findings[0]!.message).toContain(`line ${blocks[2]!.fence.start.line}`);
    expect(ran).not.toContain(blocks[2]!.id);
    const pid = Number(outputs.get(blocks[0]!.id));
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });

  it("uses the default timeout for a promise kept pending by a timer", async () => {
    const page = "# P\n\n" + fence("ts", "await new Promise(() => { setInterval(() => {}, 1000); });");
    const root = makeProject({ "docs/p.md": page });
    const { findings } = await runDocs(root, ["docs/p.md"], { timeout: 400 });
    expect(findings.map((f) => f.ruleId)).toEqual(["run/timeout"]);
    expect(findings[0]!.message).toContain("400 ms");
  });

  it("reports a promise that can never settle without waiting for the timeout", async () => {
    const page = ["# P", fence("ts", "await new Promise(() => {});"), fence("ts", "console.log('after');")].join("\n");
    const root = makeProject({ "docs/p.md": page });
    const { findings } = await runDocs(root, ["docs/p.md"], { timeout: 60_000 });
    expect(findings.map((f) => f.ruleId)).toEqual(["run/timeout"]);
    expect(findings[0]!.message).toContain("never settle");
  });

  shared("docs/child.md", { "docs/child.md": "# P\n\n" + fence("ts", "import { spawn } from 'node:child_process';\nconst child = spawn('sleep', ['300'], { stdio: 'ignore' });\nconsole.log(child.pid);") });
  it("kills a child process that outlives its block", async () => {
    const { findings, outputs, blocks } = await pageRun("docs/child.md");
    expect(findings).toEqual([]);
    const pid = Number(outputs.get(blocks[0]!.id));
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });
});

describe("output capture", () => {
  shared("docs/big.md", { "docs/big.md": ["# P", fence("ts", "process.stdout.write('x'.repeat(50 * 1024 * 1024));\nconsole.log('tail');"), fence("ts", "console.log('next block ran');"), fence("output", "next block ran")].join("\n") });
  it("bounds 50 MB written to stdout and keeps running the page", async () => {
    const { findings, outputs, blocks } = await pageRun("docs/big.md");
    expect(findings).toEqual([]);
    const big = outputs.get(blocks[0]!.id)!;
    expect(big.length).toBe(1024 * 1024);
  });
});

describe("module formats and resolution", () => {
  const deps = {
    "node_modules/cjs-only/package.json": JSON.stringify({ name: "cjs-only", main: "index.js" }),
    "node_modules/cjs-only/index.js": "exports.kind = 'cjs'; exports.viaRequire = typeof require === 'function';\n",
    "node_modules/esm-only/package.json": JSON.stringify({ name: "esm-only", type: "module", exports: { import: "./index.js" } }),
    "node_modules/esm-only/index.js": "export const kind = 'esm';\n",
    "node_modules/dual/package.json": JSON.stringify({ name: "dual", exports: { import: "./index.mjs", require: "./index.cjs" } }),
    "node_modules/dual/index.mjs": "export const loadedAs = 'import';\n",
    "node_modules/dual/index.cjs": "exports.loadedAs = 'require';\n",
  };

  shared("docs/formats.md", {
    ...deps,
    "docs/formats.md": [
      "# P",
      fence("cjs", "const cjs = require('cjs-only');\nconst dual = require('dual');\nconsole.log(cjs.kind, dual.loadedAs, typeof module.exports);"),
      fence("output", "cjs require object"),
      fence("ts", "import cjs from 'cjs-only';\nimport { kind } from 'esm-only';\nimport { loadedAs } from 'dual';\nconsole.log(cjs.kind, kind, loadedAs);"),
      fence("output", "cjs esm import"),
    ].join("\n"),
  });
  it("runs CJS blocks with require and ESM blocks with import, honouring exports conditions", async () => {
    const { findings, ran } = await pageRun("docs/formats.md");
    expect(findings).toEqual([]);
    expect(ran).toHaveLength(2);
  });

  shared("docs/guide/p.md", {
    "package.json": JSON.stringify({ name: "my-lib", type: "module", exports: { ".": "./lib/index.js" } }),
    "lib/index.js": "export const hello = (name) => `hello ${name}`;\n",
    "docs/guide/helper.ts": "export const twice = (n: number): number => n * 2;\n",
    "docs/guide/p.md": "# P\n\n" + fence("ts", "import { hello } from 'my-lib';\nimport { twice } from './helper.js';\nconsole.log(hello('docs'), twice(21));") + fence("output", "hello docs 42"),
  });
  it("resolves the project's own package name and the page's relative files", async () => {
    const { root, findings, ran } = await pageRun("docs/guide/p.md");
    expect(findings).toEqual([]);
    expect(ran).toHaveLength(1);
    // The run directory inside the project is gone afterwards.
    expect(fs.existsSync(`${root}/.validate-docs`)).toBe(false);
  });

  const missing = "# P\n\n" + fence("ts", "import { nope } from 'not-installed-anywhere';\nconsole.log(nope);");
  shared("docs/missing.md", { "docs/missing.md": missing });
  it("reports a missing package as a throw at the import line", async () => {
    const page = missing;
    const { findings } = await pageRun("docs/missing.md");
    expect(findings.map((f) => f.ruleId)).toEqual(["run/threw"]);
    expect(findings[0]!.message).toContain("not-installed-anywhere");
    expect(findings[0]!.place.start.line).toBeLessThanOrEqual(lineOf(page, "import { nope }"));
  });
});

describe("continuation rounds", () => {
  it("leave no abort listener on the stage's signal (one pool per round used to leave one each)", async () => {
    // The first block needs the network: the page stops there and the second block runs in a continuation, a round
    // of its own. From the eleventh round on, the listeners left behind made Node print MaxListenersExceededWarning.
    const page = "# P\n\n" + fence("ts", "await fetch('https://example.com/');") + fence("ts", "console.log('after');");
    const root = makeProject({ "docs/p.md": page });
    const loaded = loadPage(root, "docs/p.md");
    const abort = new AbortController();
    const { findings, ran } = await runPages([loaded], options(root, { continueAfterEnd: true }), undefined, { signal: abort.signal });
    expect(findings.map((f) => f.ruleId)).toEqual(["run/network"]);
    expect([...ran]).toEqual(loaded.blocks.map((b) => b.id));
    expect(getEventListeners(abort.signal, "abort")).toEqual([]);
  });
});
