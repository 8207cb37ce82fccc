// Page isolation modes (docs/running.md): a fresh worker thread per page in long-lived runner processes, a process
// only for pages that need one (decided from the code), and `isolate: "process"` to turn the threads off.
import { describe, expect, it, beforeAll } from "vitest";
import { processReason } from "../../src/run/isolate.js";
import type { CodeBlock } from "../../src/types.js";
import { readJson, runCli } from "../helpers.js";
import { ensureHarness, fence, loadPage, makeProject, runDocs } from "./helpers.js";

beforeAll(ensureHarness);

describe("which pages need a process (static)", () => {
  const root = makeProject({
    "node_modules/native-thing/package.json": JSON.stringify({ name: "native-thing", gypfile: true, main: "index.js" }),
    "node_modules/loads-bindings/package.json": JSON.stringify({ name: "loads-bindings", dependencies: { "node-gyp-build": "4.8.0" } }),
    "node_modules/plain-js/package.json": JSON.stringify({ name: "plain-js", main: "index.js" }),
    "docs/p.md": "# P\n",
  });
  const reason = (code: string, meta = "ts"): string | undefined => {
    const page = makeProject({ "docs/p.md": "# P\n\n" + fence(meta, code) });
    const { blocks } = loadPage(page, "docs/p.md");
    return processReason(blocks, `${root}/docs`);
  };

  it.each([
    ["process.chdir('/tmp');", /chdir/],
    ["process.kill(process.pid, 'SIGTERM');", /process\.kill/],
    ["process.on('SIGTERM', () => {});", /signal/],
    ["process.once(\"SIGINT\", () => {});", /signal/],
    ["import { execSync } from 'node:child_process';", /child processes/],
    ["const cp = require('child_process');", /child processes/],
    ["import cluster from 'cluster';", /child processes/],
    ["import { Worker } from 'node:worker_threads';", /worker_threads/],
    ["const addon = require('./build/Release/addon.node');", /native addon/],
    ["import thing from 'native-thing';", /native-thing, a native addon/],
    ["const b = await import('loads-bindings');", /loads-bindings, a native addon/],
    ["process.umask(0o22);", /process-wide/],
  ])("%s → a process", (code, why) => {
    expect(reason(code)).toMatch(why);
  });

  it.each([
    "console.log(process.pid, process.cwd());",
    "process.exit(0);",
    "process.on('exit', () => {}); process.exitCode = 1;",
    "import plain from 'plain-js';",
    "import fs from 'node:fs'; fs.writeFileSync('x', 'y');",
    "const signalling = 'SIGTERM is a name';",
  ])("%s → a worker thread", (code) => {
    expect(reason(code)).toBeUndefined();
  });

  it("isolate=process on any block of the page", () => {
    expect(reason("console.log(1);", "ts isolate=process")).toMatch(/isolate=process/);
  });

  it("a block of the page that sets up context counts too", () => {
    const page = makeProject({ "docs/p.md": "# P\n\n" + fence("ts", "process.chdir('/');") + fence("ts", "console.log(1);") });
    const { blocks } = loadPage(page, "docs/p.md");
    expect(processReason(blocks as CodeBlock[], page)).toMatch(/chdir/);
    expect(processReason([blocks[1]!], page)).toBeUndefined();
  });
});

describe("runner processes", () => {
  // A block that tells where it ran: the process, whether a global of an earlier page is visible, the cwd's files.
  const probe = fence(
    "ts",
    [
      "import fs from 'node:fs';",
      "const g = globalThis as { seen?: boolean };",
      "console.log(JSON.stringify({ pid: process.pid, leaked: g.seen === true, files: fs.readdirSync('.') }));",
      "g.seen = true;",
      "fs.writeFileSync('left-behind.txt', 'x');",
    ].join("\n"),
  );
  const pidsOf = (outcome: Awaited<ReturnType<typeof runDocs>>) =>
    outcome.loaded.map((p) => JSON.parse(outcome.outputs.get(p.blocks[0]!.id)!) as { pid: number; leaked: boolean; files: string[] });

  it("run one page after another in fresh threads: same process, fresh globals, an emptied temp dir", async () => {
    const root = makeProject({ "docs/a.md": probe, "docs/b.md": probe, "docs/c.md": probe });
    const outcome = await runDocs(root, ["docs/a.md", "docs/b.md", "docs/c.md"], { concurrency: 1 });
    expect(outcome.findings).toEqual([]);
    const seen = pidsOf(outcome);
    expect(new Set(seen.map((s) => s.pid)).size).toBe(1);
    expect(seen.every((s) => !s.leaked && s.files.length === 0)).toBe(true);
  });

  it("give a page that needs a process its own, and every page one with isolate: process", async () => {
    const root = makeProject({ "docs/a.md": probe, "docs/b.md": probe.replace("```ts", "```ts isolate=process"), "docs/c.md": probe });
    const mixed = pidsOf(await runDocs(root, ["docs/a.md", "docs/b.md", "docs/c.md"], { concurrency: 1 }));
    expect(mixed[0]!.pid).toBe(mixed[2]!.pid);
    expect(mixed[1]!.pid).not.toBe(mixed[0]!.pid);
    const processes = pidsOf(await runDocs(root, ["docs/a.md", "docs/b.md", "docs/c.md"], { concurrency: 1, isolate: "process" }));
    expect(new Set(processes.map((s) => s.pid)).size).toBe(3);
  });

  it("a runner survives a page that exits, throws or times out, and the next page still runs", async () => {
    const root = makeProject({
      "docs/a.md": fence("ts", "process.exit(3);") + fence("ts", "console.log('never');"),
      "docs/b.md": fence("ts", "console.log(process.pid);") + fence("ts timeout=300", "while (true) {}"),
      "docs/c.md": fence("ts", "console.log(process.pid);\nthrow new Error('boom');"),
      "docs/d.md": probe,
    });
    const outcome = await runDocs(root, ["docs/a.md", "docs/b.md", "docs/c.md", "docs/d.md"], { concurrency: 1 });
    expect(outcome.findings.map((f) => [f.page, f.ruleId])).toEqual([
      ["docs/a.md", "run/exit"],
      ["docs/b.md", "run/timeout"],
      ["docs/c.md", "run/threw"],
    ]);
    expect(outcome.findings[0]!.message).toContain("process.exit(3)");
    // The thread was stopped, not the runner: the pages after the timeout ran in the same process.
    const pid = (page: number): number => Number(outcome.outputs.get(outcome.loaded[page]!.blocks[0]!.id));
    const last = pidsOf({ ...outcome, loaded: [outcome.loaded[3]!] })[0]!;
    expect(last.leaked).toBe(false);
    expect([pid(1), pid(2)]).toEqual([last.pid, last.pid]);
  });
});

describe("through the CLI", () => {
  it("under the sandbox a page thread may not start worker threads (run/permission), as a page process may not", () => {
    // One run: the page in a thread (`--isolate worker`), the same block in a page process (its isolate=process;
    // every page in a process, the `isolate: "process"` option, is "runner processes" above).
    const code = "const threads = await import('node:' + ['worker', 'threads'].join('_'));\nnew threads.Worker('0', { eval: true });";
    const root = makeProject({ "docs/thread.md": fence("js", code), "docs/process.md": fence("js isolate=process", code) });
    const r = runCli(["--isolate", "worker", "--no-cache", "--no-typecheck", "--no-lint", "--reporter", "json"], root);
    expect(r.code, r.stderr).toBe(1);
    const index = readJson(`${root}/reports/index.json`);
    const rules = (index.pages as { page: string; findings: { ruleId: string }[] }[]).map((p) => [p.page, p.findings.map((f) => f.ruleId)]);
    expect(rules.sort()).toEqual([
      ["docs/process.md", ["run/permission"]],
      ["docs/thread.md", ["run/permission"]],
    ]);
  });

  it("rejects an unknown isolate mode with exit 2", () => {
    const root = makeProject({ "docs/p.md": fence("ts", "const a = 1;") });
    const r = runCli(["--isolate", "thread"], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/isolate/);
  });
});
