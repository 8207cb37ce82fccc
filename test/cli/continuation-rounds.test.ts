// A page ended early (here by network calls, twice) runs on in continuations, one round after another. The rounds
// share one build of the blocks and the runner processes: the page threads of every round run in the one runner the
// first round started (one page → one slot), not in a new runner per round, and the findings are those of fresh
// threads: each network block is reported at its own line and the block after them passes.
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { TSCONFIG, fence, isAlive, makeProject, pageOf, readJson, runCli } from "../helpers.js";
import type { CheckResult } from "../../src/types.js";

/** A block that appends its process's pid (a page thread's is its runner's) to $PID_DIR/pids, then `tail`. */
const block = (tail: string): string =>
  `import fs from "node:fs";\nimport path from "node:path";\nfs.appendFileSync(path.join(process.env.PID_DIR!, "pids"), String(process.pid) + "\\n");\n${tail}`;

const PAGE = [
  "# Two services",
  fence("ts", block('await fetch("https://api.example.com/first");')),
  fence("ts", block('await fetch("https://api.example.com/second");')),
  fence("ts", block('console.log("done");')),
].join("\n");

it("runs the continuation rounds of a page in the runner of its first round, with the findings of fresh threads", () => {
  const dir = makeProject({ "package.json": JSON.stringify({ name: "docs-project", type: "module" }), "tsconfig.json": TSCONFIG, "docs/page.md": PAGE });
  const pids = path.join(dir, "pids");
  fs.mkdirSync(pids);
  fs.writeFileSync(path.join(dir, "validate-docs.config.json"), JSON.stringify({ env: { PID_DIR: pids }, sandbox: { write: ["pids"] } }));
  const out = path.join(dir, "out");
  const r = runCli(["--no-cache", "--no-typecheck", "--no-lint", "--reporter", "json", "-o", out, "docs"], dir);
  expect(r.code, r.stderr).toBe(0); // needing the network is a warning
  const p = pageOf(readJson<CheckResult>(path.join(out, "index.json")), "docs/page.md");
  expect(p.findings.map((f) => [f.ruleId, f.blockId])).toEqual([
    ["run/network", p.blocks[0]!.id],
    ["run/network", p.blocks[1]!.id],
  ]);
  expect(p.blocks[2]!.status).toBe("passed");
  // Three rounds, every block ran exactly once (the page's thread starts no block after a blocked network call: the
  // block after it runs in the next round only)…
  const ran = fs.readFileSync(path.join(pids, "pids"), "utf8").trim().split("\n").map(Number);
  expect(ran.length).toBe(3);
  // … all in one runner process, which is gone when the CLI has ended.
  expect(new Set(ran), "one runner process for every round").toEqual(new Set([ran[0]]));
  expect(isAlive(ran[0]!)).toBe(false);
});

/** A block that appends `label` to $PID_DIR/labels (ES module), then `tail`. */
const labelled = (label: string, tail: string): string =>
  `import fs from "node:fs";\nimport path from "node:path";\nfs.appendFileSync(path.join(process.env.PID_DIR!, "labels"), "${label}\\n");\n${tail}`;

const TABS = [
  "# Tabs after two network calls",
  fence("ts", labelled("A", 'await fetch("https://api.example.com/a");')),
  fence("ts", labelled("B", "const x = 1;")),
  fence("ts", labelled("C", 'await fetch("https://api.example.com/c");')),
  fence("ts", labelled("D", "console.log(x);")),
  "Or with CommonJS:\n",
  fence("js", 'const fs = require("node:fs");\nconst path = require("node:path");\nfs.appendFileSync(path.join(process.env.PID_DIR, "labels"), "D2\\n");\nconsole.log(x);'),
].join("\n");

it("runs an alternative after its page's rounds, without the blocks that ended them, instead of finding each stop again", () => {
  const dir = makeProject({ "package.json": JSON.stringify({ name: "docs-project", type: "module" }), "tsconfig.json": TSCONFIG, "docs/tabs.md": TABS });
  const labels = path.join(dir, "labels");
  fs.mkdirSync(labels);
  fs.writeFileSync(path.join(dir, "validate-docs.config.json"), JSON.stringify({ env: { PID_DIR: labels }, sandbox: { write: ["labels"] } }));
  const out = path.join(dir, "out");
  const r = runCli(["--no-cache", "--no-typecheck", "--no-lint", "--reporter", "json", "-o", out, "docs"], dir);
  expect(r.code, r.stderr).toBe(0);
  const p = pageOf(readJson<CheckResult>(path.join(out, "index.json")), "docs/tabs.md");
  // The findings of fresh threads: each network block at its own line, both tabs pass with `x` from block B.
  expect(p.findings.map((f) => [f.ruleId, f.blockId])).toEqual([
    ["run/network", p.blocks[0]!.id],
    ["run/network", p.blocks[2]!.id],
  ]);
  expect(p.blocks.map((b) => b.status)).toEqual(["skipped", "passed", "skipped", "passed", "passed"]);
  // The sequence's three rounds (A | B C | B D), then one thread for the JavaScript tab that leaves out A and C,
  // which ended the sequence's rounds after the same blocks. Before, the tab's lane found A and C again in rounds
  // of its own (A and C ran twice each, B four times).
  expect(fs.readFileSync(path.join(labels, "labels"), "utf8").trim().split("\n")).toEqual(["A", "B", "C", "B", "D", "B", "D2"]);
});
