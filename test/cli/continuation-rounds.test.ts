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
