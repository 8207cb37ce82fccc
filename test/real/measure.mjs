#!/usr/bin/env node
// Prints issue 14's numbers for the real-docs set (test/real/pages), measured through the real CLI (dist/, so run
// `npm run build` first) with zero configuration:
//   - share of TS/JS blocks with an error finding
//   - share of blocks that reach type-check, with page context (the default) vs each block on its own
//     (`context=none`)
//   - the most findings of one code in one block
//   - crashes (exit code 2, internal errors) and fences not accounted for
//
// Usage: node test/real/measure.mjs [--run] [--json] [--keep DIR]
//   --run   include the run stage. The run stage blocks the network in the example process itself (`run/network`);
//           when a network namespace is available (`unshare -rn`) it is used as well, as a second wall.
//   --json  print the numbers as JSON instead of a table.
//   --keep  write the two reports under DIR instead of a temp dir (kept after the script ends).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { summarize, reachedTypecheck, levelSource } from "./summary.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../../bin/validate-docs.js");
const args = process.argv.slice(2);
const withRun = args.includes("--run");
const asJson = args.includes("--json");
const keepAt = args.includes("--keep") ? path.resolve(args[args.indexOf("--keep") + 1]) : undefined;

function unshareWorks() {
  const r = spawnSync("unshare", ["-rn", "true"], { stdio: "ignore" });
  return r.status === 0;
}

const prefix = [];
if (withRun && unshareWorks()) prefix.push("unshare", "-rn");

const work = keepAt ?? fs.mkdtempSync(path.join(os.tmpdir(), "vd-real-measure-"));
fs.mkdirSync(work, { recursive: true });

/** Runs the CLI over pages/ with the given extra config; returns the JSON report, or explains why not. */
function check(name, config) {
  const out = path.join(work, name);
  const cliArgs = [bin, "--no-color", "--no-cache", "--reporter", "json", "-o", out];
  if (!withRun) cliArgs.push("--no-run");
  if (config) {
    const file = path.join(work, `${name}.config.json`);
    fs.writeFileSync(file, JSON.stringify(config));
    cliArgs.push("--config", file, "--root", here);
  }
  cliArgs.push("pages");
  const cmd = [...prefix, process.execPath, ...cliArgs];
  const r = spawnSync(cmd[0], cmd.slice(1), {
    cwd: here,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    maxBuffer: 256 * 1024 * 1024,
  });
  const reportFile = path.join(out, "index.json");
  if (r.status !== 0 && r.status !== 1) return { exitCode: r.status, stderr: r.stderr.trim() };
  return { exitCode: r.status, report: JSON.parse(fs.readFileSync(reportFile, "utf8")) };
}

const withContext = check("default");
// `context: "none"` is the config default of issue 14 item 1; a build without page context rejects the option
// (exit 2), and then every block already stands on its own: the default run is the context=none figure.
let alone = check("context-none", { context: "none" });
let aloneNote = "config `context: \"none\"`";
if (alone.exitCode === 2 && /context/.test(alone.stderr ?? "")) {
  alone = withContext;
  aloneNote = "this build has no page context: the default run checks each block on its own";
}

function numbers(result) {
  if (!result.report) return { crash: `exit code ${result.exitCode}: ${result.stderr}` };
  const s = summarize(result.report);
  return { exitCode: result.exitCode, ...s };
}

const a = numbers(withContext);
const b = numbers(alone);
const pct = (n, d) => (d === 0 ? "n/a" : `${((100 * n) / d).toFixed(1)} %`);

const result = {
  mode: withRun ? `check + lint + run${prefix.length ? " (also in a network namespace)" : ""}` : "check + lint (--no-run)",
  levels: a.crash ? undefined : levelSource(withContext.report),
  contextNone: aloneNote,
  default: a,
  contextNoneRun: b,
};

if (asJson) {
  console.log(JSON.stringify(result, null, 2));
} else {
  if (a.crash || b.crash) {
    console.log(`crash: ${a.crash ?? b.crash}`);
    process.exit(1);
  }
  const rows = [
    ["pages", a.pages, b.pages],
    ["fences", a.fences, b.fences],
    ["TS/JS blocks", a.blocks, b.blocks],
    ["blocks with an error finding", `${a.blocksWithError} (${pct(a.blocksWithError, a.blocks)})`, `${b.blocksWithError} (${pct(b.blocksWithError, b.blocks)})`],
    ["blocks reaching type-check", `${a.reachedTypecheck} (${pct(a.reachedTypecheck, a.blocks)})`, `${b.reachedTypecheck} (${pct(b.reachedTypecheck, b.blocks)})`],
    ["blocks type-checked without a type error", `${a.typecheckClean} (${pct(a.typecheckClean, a.blocks)})`, `${b.typecheckClean} (${pct(b.typecheckClean, b.blocks)})`],
    ["error findings", a.errors, b.errors],
    ["max findings of one code in one block", `${a.maxOneCode.count} (${a.maxOneCode.ruleId} in ${a.maxOneCode.blockId})`, `${b.maxOneCode.count}`],
    ["CLI exit code", a.exitCode, b.exitCode],
    ["internal errors (crash findings)", a.internal, b.internal],
    ["fences not accounted for", a.unaccounted, b.unaccounted],
  ];
  console.log(`mode: ${result.mode}; levels from ${result.levels}; context=none: ${aloneNote}\n`);
  console.log("| measure | default (page context) | context=none |\n| --- | --- | --- |");
  for (const [k, x, y] of rows) console.log(`| ${k} | ${x} | ${y} |`);
  console.log(`\nreached type-check: ${pct(a.reachedTypecheck, a.blocks)} vs ${pct(b.reachedTypecheck, b.blocks)} alone (×${b.reachedTypecheck ? (a.reachedTypecheck / b.reachedTypecheck).toFixed(2) : "n/a"})`);
  console.log("\nblocks per level (default):", JSON.stringify(a.byLevel));
  console.log("blocks per stop reason (default):", JSON.stringify(a.byReason));
  console.log("error findings per code (default):", JSON.stringify(a.errorsByCode));
}
if (!keepAt) fs.rmSync(work, { recursive: true, force: true });
