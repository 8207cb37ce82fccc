#!/usr/bin/env node
// npm run bench — side-by-side timings on the seeded docs corpus (../shared/bench/make-corpus.mjs).
// Commands are run interleaved (A, B, C, A, B, C, …) so machine drift hits all of them alike; only the ratios
// printed at the end are meant to be compared across runs. No thresholds: this reports, it does not gate.
//
//   npm run bench -- [--pages 100] [--blocks 5] [--runs 5] [--corpus-script PATH]
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const pages = Number(args.pages ?? 100);
const blocks = Number(args.blocks ?? 5);
const runs = Number(args.runs ?? 5);
const script = path.resolve(args["corpus-script"] ?? process.env.VD_BENCH_CORPUS_SCRIPT ?? path.join(repo, "../shared/bench/make-corpus.mjs"));
if (!fs.existsSync(script)) {
  console.error(`bench: corpus generator not found at ${script}; pass --corpus-script PATH or set VD_BENCH_CORPUS_SCRIPT`);
  process.exit(2);
}
const bin = path.join(repo, "bin/validate-docs.js");
if (!fs.existsSync(path.join(repo, "dist/src/cli.js"))) {
  console.error("bench: build first (npm run build)");
  process.exit(2);
}
const corpus = fs.mkdtempSync(path.join(os.tmpdir(), "vd-bench-"));
spawnSync(process.execPath, [script, "--pages", String(pages), "--blocks", String(blocks), "--out", corpus], { stdio: "ignore" });
const out = path.join(corpus, "reports");

// The per-page process floor: what a fresh `node` per page costs at the same concurrency, doing nothing.
const floorScript = path.join(corpus, "floor.mjs");
fs.writeFileSync(
  floorScript,
  `import { spawn } from "node:child_process";
const n = ${pages}, c = ${os.availableParallelism?.() ?? os.cpus().length};
let next = 0;
const one = () => next++ < n ? new Promise((r) => spawn(process.execPath, ["-e", "0"]).on("exit", r)).then(one) : null;
await Promise.all(Array.from({ length: c }, one));
`,
);

const commands = {
  "validate-docs (all stages)": [bin, "--reporter", "json", "--out", out],
  "validate-docs --no-run": [bin, "--no-run", "--reporter", "json", "--out", out],
  "validate-docs --no-typecheck --no-lint": [bin, "--no-typecheck", "--no-lint", "--reporter", "json", "--out", out],
  [`floor: ${pages} × node -e 0`]: [floorScript],
  "startup: validate-docs --version": [bin, "--version"],
  "startup floor: node -e 0": ["-e", "0"],
};
const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
const stageTimes = [];
for (let r = 0; r < runs; r++) {
  for (const [name, argv] of Object.entries(commands)) {
    const t0 = performance.now();
    const res = spawnSync(process.execPath, argv, { cwd: corpus, stdio: "ignore" });
    times[name].push(performance.now() - t0);
    if (name.startsWith("validate-docs (all") ) {
      if (res.status !== 1) console.error(`warning: expected exit 1 on the corpus (it has deliberate errors), got ${res.status}`);
      stageTimes.push(JSON.parse(fs.readFileSync(path.join(out, "index.json"), "utf8")).timings);
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ref = median(times["validate-docs (all stages)"]);
console.log(`corpus: ${pages} pages × ${blocks} blocks (${corpus}), ${runs} interleaved runs, ${os.cpus().length} cores\n`);
console.log("| command | min | median | max | vs all stages |\n| --- | --- | --- | --- | --- |");
for (const [name, xs] of Object.entries(times)) {
  const f = (ms) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`| ${name} | ${f(Math.min(...xs))} | ${f(median(xs))} | ${f(Math.max(...xs))} | ${(median(xs) / ref).toFixed(2)} |`);
}
const stages = Object.keys(stageTimes[0] ?? {});
console.log(`\nstage medians (ms, all stages run): ${stages.map((s) => `${s} ${median(stageTimes.map((t) => t[s]))}`).join(" · ")}`);
console.log("Peer figures measured on this hardware class: ../shared/bench/PEERS.md");
fs.rmSync(corpus, { recursive: true, force: true });
