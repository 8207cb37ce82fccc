#!/usr/bin/env node
// npm run bench — validate-docs side by side with the bound pipeline of ../shared/bench/PEERS.md and its peers, on
// seeded docs corpora (test/bench/make-corpus.mjs, or another generator with the same arguments and manifest:
// --corpus-script ../shared/bench/make-corpus.mjs gives the corpora PEERS.md was measured on). Commands on one corpus
// run interleaved (A, B, C, A, B, C, …) so machine drift hits all of them alike; medians, min–max and the peak RSS of
// the largest process of each command are printed, with ratios to the bound. Every validate-docs run's findings are
// compared with the corpus manifest (test/bench/manifest.mjs): a fast wrong answer fails the bench (exit 1). No
// thresholds: the ratios are reported, not gated.
//
//   npm run bench -- [--sizes 20,100,1000] [--runs 3] [--big-runs 1] [--peers-on 100] [--slow-peers-on 20]
//                    [--corpus-script PATH]   (default: test/bench/make-corpus.mjs; or VD_BENCH_CORPUS_SCRIPT)
//                    [--no-peers] [--no-install]
//
// The peers (deno, typescript-docs-verifier, native TypeScript 7) are dev dependencies of the bench only
// (test/bench/package.json), installed on first use with `npm ci --prefix test/bench`.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkReport, expectedErrors, expectThrows } from "./manifest.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const opt = (name, fallback) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1] : fallback;
};
const sizes = opt("sizes", "20,100,1000").split(",").map(Number);
const runs = Number(opt("runs", 3));
const bigRuns = Number(opt("big-runs", 1));
const peersOn = new Set(opt("peers-on", "100").split(",").map(Number));
// typescript-docs-verifier builds a LanguageService per block (≈ 100× the bound): only on the small corpus.
const slowPeersOn = new Set(opt("slow-peers-on", "20").split(",").map(Number));
const script = path.resolve(opt("corpus-script", process.env.VD_BENCH_CORPUS_SCRIPT || path.join(here, "make-corpus.mjs")));
if (!fs.existsSync(script)) {
  console.error(`bench: corpus generator not found at ${script}; pass --corpus-script PATH or set VD_BENCH_CORPUS_SCRIPT`);
  process.exit(2);
}
const bin = path.join(repo, "bin/validate-docs.js");
if (!fs.existsSync(path.join(repo, "dist/src/cli.js"))) {
  console.error("bench: build first (npm run build)");
  process.exit(2);
}

// ------------------------------------------------------------------ peers (dev dependencies of the bench)
const benchModules = path.join(here, "node_modules");
let peerProblem;
if (flag("no-peers")) peerProblem = "--no-peers given";
else if (!fs.existsSync(benchModules) && !flag("no-install")) {
  console.error("bench: installing the peers (npm ci --prefix test/bench) …");
  const r = spawnSync("npm", ["ci", "--prefix", here, "--no-audit", "--no-fund"], { stdio: "inherit" });
  if (r.status !== 0) peerProblem = `npm ci --prefix test/bench failed (exit ${r.status})`;
}
const firstExisting = (...files) => files.find((f) => fs.existsSync(f));
const platformDir = (scope, prefix) => {
  const dir = path.join(benchModules, scope);
  const name = fs.existsSync(dir) ? fs.readdirSync(dir).find((n) => n.startsWith(prefix) && n.includes(process.platform)) : undefined;
  return name && path.join(dir, name);
};
const denoDir = platformDir("@deno", "");
const deno = peerProblem ? undefined : firstExisting(denoDir && path.join(denoDir, "deno"), path.join(benchModules, ".bin/deno"));
const ts7Dir = platformDir("@typescript", "typescript-");
const tsc7 = peerProblem ? undefined : firstExisting(ts7Dir && path.join(ts7Dir, "lib/tsc"), path.join(benchModules, "typescript7/bin/tsc"));
const tdv = peerProblem ? undefined : firstExisting(path.join(benchModules, ".bin/typescript-docs-verifier"));
const tsc6 = path.join(repo, "node_modules/typescript/bin/tsc");
const why = (tool, name) => (tool ? undefined : peerProblem ?? `${name} is not installed under test/bench/node_modules`);

// ------------------------------------------------------------------ measuring
/** Peak resident set of the largest process in the tree (VmHWM, sampled), in MiB; undefined off Linux. */
function treePeak(pid, peak) {
  let status;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return peak;
  }
  const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
  if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
  let children = "";
  try {
    children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8");
  } catch {}
  for (const c of children.split(" ").filter(Boolean)) peak = treePeak(Number(c), peak);
  return peak;
}

function measure(command, args, cwd, env = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    let peak = 0;
    const sample = () => (peak = treePeak(child.pid, peak));
    const timer = setInterval(sample, 20);
    child.on("error", (e) => {
      clearInterval(timer);
      resolve({ ms: performance.now() - t0, code: null, out, err: String(e), peak });
    });
    child.on("exit", (code) => {
      clearInterval(timer);
      resolve({ ms: performance.now() - t0, code, out, err, peak: peak || undefined });
    });
  });
}

// ------------------------------------------------------------------ findings against the manifest
/**
 * Problems of a list of {page, index, code} type errors (the bound pipeline, plain tsc) against the manifest.
 * With `ts7`, the code the manifest notes for TypeScript 7 counts (on the shared generator's corpus it reports
 * TS2740 where TS 6 reports TS2345; on test/bench/make-corpus.mjs's the codes are the same).
 */
function checkTypeErrors(errors, manifest, { ts7 = false } = {}) {
  const got = errors.map((e) => `${e.page}#${e.index}:${e.code}`).sort();
  const codeOf = (m) => (ts7 && /tsc 7(?:\.0)? reports TS(\d+)/.exec(m.errorNote ?? "")?.[1]) || m.expectTypeError;
  const want = manifest.filter((m) => m.expectTypeError).map((m) => `${m.page}#${m.index}:${codeOf(m)}`).sort();
  const missing = want.filter((w) => !got.includes(w));
  const extra = got.filter((g) => !want.includes(g));
  return [...missing.map((w) => `missed ${w}`), ...extra.map((g) => `unexpected ${g}`)];
}

/** Problems of the bound pipeline's list of {page, index} blocks that threw against the manifest. */
function checkThrown(threw, manifest) {
  const got = new Set(threw.map((t) => `${t.page}#${t.index}`));
  return manifest.flatMap((m) => {
    const key = `${m.page}#${m.index}`;
    if (got.has(key) === expectThrows(m)) return [];
    return [`${key} ${got.has(key) ? "threw" : "did not throw"}`];
  });
}

// ------------------------------------------------------------------ corpora and commands
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vd-bench-"));
function corpus(pages, clean) {
  const dir = path.join(tmp, `corpus-${pages}x5${clean ? "-clean" : ""}`);
  const extra = clean ? ["--error-rate", "0", "--banned-rate", "0"] : [];
  const r = spawnSync(process.execPath, [script, "--pages", String(pages), "--blocks", "5", "--out", dir, ...extra], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`corpus generator failed: ${r.stderr}`);
  return { dir, manifest: JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) };
}

/** Links the bench's native TypeScript 7 package into a corpus (node_modules/typescript7); false when it is not installed. */
function linkNative(dir) {
  const pkg = path.join(benchModules, "typescript7");
  if (peerProblem || !fs.existsSync(pkg)) return false;
  const link = path.join(dir, "node_modules", "typescript7");
  if (!fs.existsSync(link)) {
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(pkg, link, "dir");
  }
  return true;
}

/** The blocks as .ts files next to the docs, for plain tsc (untimed preparation, as a user's script would do). */
function extractForTsc(dir) {
  const work = path.join(dir, ".tsc");
  fs.mkdirSync(path.join(work, "src"), { recursive: true });
  for (const name of fs.readdirSync(path.join(dir, "docs")).sort()) {
    const text = fs.readFileSync(path.join(dir, "docs", name), "utf8");
    let index = 0;
    for (const m of text.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```$/gm)) fs.writeFileSync(path.join(work, "src", `${name}.${++index}.ts`), m[1]);
  }
  fs.writeFileSync(path.join(work, "tsconfig.json"), JSON.stringify({ extends: "../tsconfig.json", compilerOptions: { noEmit: true, moduleDetection: "force" }, include: ["src/*.ts"] }));
  return path.join(work, "tsconfig.json");
}
const tscErrors = (out) =>
  [...out.matchAll(/(?:^|\/)([^/\s(]+\.md)\.(\d+)\.ts\(\d+,\d+\): error TS(\d+)/gm)].map((m) => ({ page: `docs/${m[1]}`, index: Number(m[2]), code: Number(m[3]) }));

/** deno prints `TS2345 [ERROR]: …` then `at file:///…/docs/page-001.md#15-27.ts:8:35` (the fence's first line). */
function denoErrors(out, dir) {
  const fenceLines = new Map();
  const indexOf = (page, line) => {
    if (!fenceLines.has(page)) {
      const lines = fs.readFileSync(path.join(dir, page), "utf8").split("\n");
      fenceLines.set(page, lines.flatMap((l, i) => (/^```(?:ts|typescript)$/.test(l) ? [i + 1] : [])));
    }
    return fenceLines.get(page).indexOf(line) + 1;
  };
  const errors = [];
  for (const m of out.matchAll(/TS(\d+) \[ERROR\][\s\S]*?at file:\/\/\S*?\/(docs\/[^#\s]+)#(\d+)-\d+\.ts/g)) {
    errors.push({ page: m[2], index: indexOf(m[2], Number(m[3])), code: Number(m[1]) });
  }
  return errors;
}

function commandsFor(c, size, clean) {
  const vd = (name, extra) => ({
    name,
    cmd: process.execPath,
    args: [bin, "--reporter", "json", "--out", path.join(c.dir, `reports-${name.replace(/\W+/g, "-")}`), ...extra],
    verify: (r, name_) => {
      const index = JSON.parse(fs.readFileSync(path.join(c.dir, `reports-${name_.replace(/\W+/g, "-")}`, "index.json"), "utf8"));
      const run = !extra.includes("--no-run");
      const expectedExit = expectedErrors(c.manifest, { run }) > 0 ? 1 : 0;
      const problems = checkReport(index, c.manifest, { run });
      if (r.code !== expectedExit) problems.unshift(`exit ${r.code}, expected ${expectedExit}`);
      // A native row that quietly fell back to TypeScript 6 would measure the wrong thing.
      if (extra.includes("native") && index.timings?.native === undefined) problems.push("the native compiler was not used");
      return problems;
    },
  });
  const list = [
    vd("validate-docs cold (--no-cache)", ["--no-cache"]),
    vd("validate-docs warm (cache, unchanged)", []),
    // The isolation of earlier versions, side by side: a fresh process per page instead of a thread.
    vd("validate-docs cold, a process per page (--isolate process)", ["--no-cache", "--isolate", "process"]),
  ];
  if (!clean) list.push(vd("validate-docs --no-run (cold)", ["--no-run", "--no-cache"]));
  // The native TypeScript 7 fast path (option `typescript`), side by side with TypeScript 6 alone (the rows above):
  // the corpus gets the bench's typescript@7 as node_modules/typescript7, as a project would install it.
  if (linkNative(c.dir)) {
    list.push(vd("validate-docs cold, native TS 7 (--typescript native)", ["--no-cache", "--typescript", "native"]));
    if (!clean) list.push(vd("validate-docs --no-run (cold), native TS 7", ["--no-run", "--no-cache", "--typescript", "native"]));
  }
  list.push({
    name: "bound pipeline (PEERS.md)",
    bound: true,
    cmd: process.execPath,
    args: [path.join(here, "bound.mjs"), c.dir, tsc7 ?? ""],
    skip: why(tsc7, "typescript@7 (native tsc)"),
    verify: (r) => {
      const out = JSON.parse(r.out);
      return [...checkTypeErrors(out.typeErrors, c.manifest, { ts7: true }), ...checkThrown(out.threw, c.manifest)];
    },
  });
  if (!clean && slowPeersOn.has(size)) {
    list.push({
      name: "peer: typescript-docs-verifier",
      once: true,
      cmd: tdv ?? "typescript-docs-verifier",
      args: ["--input-files", ...c.manifest.map((m) => m.page).filter((p, i, all) => all.indexOf(p) === i)],
      skip: why(tdv, "typescript-docs-verifier"),
      // It reports prose per snippet: only "it failed on a corpus with errors" can be compared.
      verify: (r) => (r.code === 0 ? ["exit 0 on a corpus with type errors"] : []),
    });
  }
  if (!peersOn.has(size)) return list;
  if (!clean) {
    const tsconfig = extractForTsc(c.dir);
    list.push({
      name: "peer: tsc 6 --noEmit over the extracted blocks",
      cmd: process.execPath,
      args: [tsc6, "-p", tsconfig, "--pretty", "false"],
      verify: (r) => checkTypeErrors(tscErrors(r.out), c.manifest),
    });
    list.push({
      name: "peer: deno check --doc-only",
      cmd: deno ?? "deno",
      args: ["check", "--doc-only", ...c.manifest.map((m) => m.page).filter((p, i, all) => all.indexOf(p) === i)],
      skip: why(deno, "deno"),
      verify: (r) => checkTypeErrors(denoErrors(r.out + r.err, c.dir), c.manifest),
    });
  } else {
    list.push({
      name: "peer: deno test --doc --parallel",
      cmd: deno ?? "deno",
      args: ["test", "--doc", "--parallel", "--allow-all", "docs/"],
      skip: why(deno, "deno"),
      verify: (r) => (r.code === 0 ? [] : [`exit ${r.code} on a clean corpus: ${(r.out + r.err).split("\n").filter((l) => /error|FAILED/i.test(l)).slice(0, 3).join(" | ")}`]),
    });
  }
  return list;
}

// ------------------------------------------------------------------ the runs
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const secs = (ms) => (ms === undefined ? "—" : `${(ms / 1000).toFixed(2)} s`);
let failed = false;
const summary = {};
console.log(`# validate-docs bench — ${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} cores, Node ${process.version}\n`);

for (const size of sizes) {
  for (const clean of [false, true]) {
    const c = corpus(size, clean);
    const n = size >= 1000 ? bigRuns : runs;
    const commands = commandsFor(c, size, clean);
    // Prime the cache for the warm row (untimed), exactly as a previous run of the gate would.
    spawnSync(process.execPath, [bin, "--reporter", "json", "--out", path.join(c.dir, "reports-prime")], { cwd: c.dir, stdio: "ignore" });
    const results = new Map(commands.map((k) => [k.name, []]));
    for (let r = 0; r < n; r++) {
      for (const k of commands) {
        if (k.skip || (k.once && r > 0)) continue;
        results.get(k.name).push(await measure(k.cmd, k.args, c.dir));
      }
    }
    const bound = median((results.get("bound pipeline (PEERS.md)") ?? []).map((x) => x.ms));
    console.log(`## ${size} pages × 5 blocks${clean ? ", clean" : ""} (${c.manifest.length} blocks), ${n} interleaved run${n === 1 ? "" : "s"}\n`);
    console.log("| command | median | min – max | peak RSS | vs bound | findings |\n| --- | --- | --- | --- | --- | --- |");
    for (const k of commands) {
      const xs = results.get(k.name);
      if (k.skip) {
        console.log(`| ${k.name} | — | — | — | — | cannot run: ${k.skip} |`);
        continue;
      }
      const problems = [...new Set(xs.flatMap((x) => { try { return k.verify(x, k.name); } catch (e) { return [`unreadable result: ${e.message}`]; } }))];
      const isOurs = k.name.startsWith("validate-docs") || k.bound;
      if (problems.length && isOurs) failed = true;
      const ms = xs.map((x) => x.ms);
      const peak = Math.max(...xs.map((x) => x.peak ?? 0));
      const verdict = problems.length ? `**differs**: ${problems.slice(0, 3).join("; ")}${problems.length > 3 ? ` (+${problems.length - 3})` : ""}` : "= manifest";
      console.log(`| ${k.name} | ${secs(median(ms))} | ${secs(Math.min(...ms))} – ${secs(Math.max(...ms))} | ${peak ? `${peak.toFixed(0)} MiB` : "—"} | ${bound ? (median(ms) / bound).toFixed(2) : "—"} | ${verdict} |`);
      summary[`${size}${clean ? "-clean" : ""}:${k.name}`] = { ms: median(ms), peak };
    }
    console.log("");
  }
}

// Start-up: --version against a bare node.
{
  const v = [];
  const z = [];
  for (let r = 0; r < Math.max(runs, 5); r++) {
    v.push((await measure(process.execPath, [bin, "--version"], tmp)).ms);
    z.push((await measure(process.execPath, ["-e", "0"], tmp)).ms);
  }
  console.log(`## start-up\n\n| command | median | min – max |\n| --- | --- | --- |`);
  console.log(`| validate-docs --version | ${secs(median(v))} | ${secs(Math.min(...v))} – ${secs(Math.max(...v))} |`);
  console.log(`| node -e 0 | ${secs(median(z))} | ${secs(Math.min(...z))} – ${secs(Math.max(...z))} |\n`);
  summary.version = median(v) / median(z);
}

const get = (k) => summary[k]?.ms;
const ratio = (a, b) => (get(a) && get(b) ? (get(a) / get(b)).toFixed(2) : "—");
console.log("## ratios (done-when targets of issue 17 in brackets)\n");
if (sizes.includes(100)) {
  console.log(`- 100 × 5 cold / bound: ${ratio("100:validate-docs cold (--no-cache)", "100:bound pipeline (PEERS.md)")} [≤ 2, stretch 1.3]`);
  console.log(`- 100 × 5 cold, threads / cold, a process per page: ${ratio("100:validate-docs cold (--no-cache)", "100:validate-docs cold, a process per page (--isolate process)")}`);
  console.log(`- 100 × 5 warm / cold: ${ratio("100:validate-docs warm (cache, unchanged)", "100:validate-docs cold (--no-cache)")} [≤ 0.3]`);
  console.log(`- 100 × 5 clean: deno test --doc --parallel / validate-docs cold: ${ratio("100-clean:peer: deno test --doc --parallel", "100-clean:validate-docs cold (--no-cache)")} [≥ 10]`);
}
if (sizes.includes(100) && sizes.includes(1000)) {
  console.log(`- 1000 × 5 cold / 100 × 5 cold: ${ratio("1000:validate-docs cold (--no-cache)", "100:validate-docs cold (--no-cache)")} [≤ 12]; peak RSS ${summary["1000:validate-docs cold (--no-cache)"]?.peak?.toFixed(0) ?? "—"} MiB [< 1024]`);
}
console.log(`- --version / node -e 0: ${summary.version.toFixed(2)} [≤ 2]`);
console.log("\nPeer figures measured on this hardware class: ../shared/bench/PEERS.md");
fs.rmSync(tmp, { recursive: true, force: true });
if (failed) {
  console.error("\nbench: a validate-docs row (or the bound) did not match the corpus manifest — a fast wrong answer fails");
  process.exit(1);
}
