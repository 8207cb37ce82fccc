// A page ended early (here by network calls, twice) runs on in continuations, one round after another. The rounds
// share one build of the blocks and the runner processes: the page threads of every round run in the one runner the
// first round started (one page → one slot), not in a new runner per round, and the findings are those of fresh
// threads: each network block is reported at its own line and the block after them passes.
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { TSCONFIG, fence, isAlive, makeProject, once, pageOf, readJson, runCli } from "../helpers.js";
import type { CheckResult } from "../../src/types.js";

/** A block (ES module) that appends `value` (a JS expression) as a line to $REC_DIR/<file>, then `tail`. */
const appending = (file: string, value: string, tail: string): string =>
  `import fs from "node:fs";\nimport path from "node:path";\nfs.appendFileSync(path.join(process.env.REC_DIR!, "${file}"), ${value} + "\\n");\n${tail}`;

/** A block that appends its process's pid (a page thread's is its runner's) to $REC_DIR/pids, then `tail`. */
const block = (tail: string): string => appending("pids", "String(process.pid)", tail);

/** A block that appends `label` to $REC_DIR/labels, then `tail`. */
const labelled = (label: string, tail: string): string => appending("labels", JSON.stringify(label), tail);

const PAGE = [
  "# Two services",
  fence("ts", block('await fetch("https://api.example.com/first");')),
  fence("ts", block('await fetch("https://api.example.com/second");')),
  fence("ts", block('console.log("done");')),
].join("\n");

it("runs the continuation rounds of a page in the runner of its first round, with the findings of fresh threads", () => {
  const { p, code, stderr, lines } = runRecorded("page.md", "pids");
  expect(code, stderr).toBe(0); // needing the network is a warning
  expect(p.findings.map((f) => [f.ruleId, f.blockId])).toEqual([
    ["run/network", p.blocks[0]!.id],
    ["run/network", p.blocks[1]!.id],
  ]);
  expect(p.blocks[2]!.status).toBe("passed");
  // Three rounds, every block ran exactly once (the page's thread starts no block after a blocked network call: the
  // block after it runs in the next round only)…
  const ran = lines.map(Number);
  expect(ran.length).toBe(3);
  // … all in one runner process, which is gone when the CLI has ended.
  expect(new Set(ran), "one runner process for every round").toEqual(new Set([ran[0]]));
  expect(isAlive(ran[0]!)).toBe(false);
});

const TABS = [
  "# Tabs after two network calls",
  fence("ts", labelled("A", 'await fetch("https://api.example.com/a");')),
  fence("ts", labelled("B", "const x = 1;")),
  fence("ts", labelled("C", 'await fetch("https://api.example.com/c");')),
  fence("ts", labelled("D", "console.log(x);")),
  "Or with CommonJS:\n",
  fence("js", 'const fs = require("node:fs");\nconst path = require("node:path");\nfs.appendFileSync(path.join(process.env.REC_DIR, "labels"), "D2\\n");\nconsole.log(x);'),
].join("\n");

/**
 * Both pages below in one temp project, run stage alone, in one CLI run with one slot (`--concurrency 1`: one runner
 * process, the pages one after the other; with two slots a continuation takes whichever runner is idle, and the pid
 * check below would not be about the page's own runner). Blocks may write to $REC_DIR: page.md's blocks their pids to
 * $REC_DIR/pids, tabs.md's their labels to $REC_DIR/labels. Each test reads its own page and file; the exit code is
 * both pages' (each alone passes: needing the network is a warning).
 */
const recorded = once(() => {
  const dir = makeProject({ "package.json": JSON.stringify({ name: "docs-project", type: "module" }), "tsconfig.json": TSCONFIG, "docs/page.md": PAGE, "docs/tabs.md": TABS });
  const rec = path.join(dir, "rec");
  fs.mkdirSync(rec);
  fs.writeFileSync(path.join(dir, "validate-docs.config.json"), JSON.stringify({ env: { REC_DIR: rec }, sandbox: { write: ["rec"] } }));
  const out = path.join(dir, "out");
  const r = runCli(["--no-cache", "--no-typecheck", "--no-lint", "--concurrency", "1", "--reporter", "json", "-o", out, "docs"], dir);
  return { code: r.code, stderr: r.stderr, index: readJson<CheckResult>(path.join(out, "index.json")), rec };
});

/** A page of the shared run, the run's exit code and stderr, and the lines its blocks wrote to $REC_DIR/<file>. */
function runRecorded(name: string, file: string): { p: CheckResult["pages"][number]; code: number | null; stderr: string; lines: string[] } {
  const { code, stderr, index, rec } = recorded();
  return { p: pageOf(index, `docs/${name}`), code, stderr, lines: fs.readFileSync(path.join(rec, file), "utf8").trim().split("\n") };
}

it("runs an alternative after its page's rounds, without the blocks that ended them, instead of finding each stop again", () => {
  const { p, code, stderr, lines } = runRecorded("tabs.md", "labels");
  expect(code, stderr).toBe(0);
  // The findings of fresh threads: each network block at its own line, both tabs pass with `x` from block B.
  expect(p.findings.map((f) => [f.ruleId, f.blockId])).toEqual([
    ["run/network", p.blocks[0]!.id],
    ["run/network", p.blocks[2]!.id],
  ]);
  expect(p.blocks.map((b) => b.status)).toEqual(["skipped", "passed", "skipped", "passed", "passed"]);
  // The sequence's three rounds (A | B C | B D), then one thread for the JavaScript tab that leaves out A and C,
  // which ended the sequence's rounds after the same blocks. Before, the tab's lane found A and C again in rounds
  // of its own (A and C ran twice each, B four times).
  expect(lines).toEqual(["A", "B", "C", "B", "D", "B", "D2"]);
});
