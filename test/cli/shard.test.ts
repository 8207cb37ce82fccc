// --shard k/n and merge-reports: the split is deterministic, balanced by blocks and keeps pages whole; merging the
// shards' reports gives exactly the report set of one run: every file of console, JSON, Markdown, JUnit, SARIF and
// HTML, on guide templates (groups spanning shards) and on the bench corpus (100 pages × 5 blocks, 4 shards).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mergeResults } from "../../src/merge-reports.js";
import { summarize } from "../../src/pipeline.js";
import { parseShard, shardPages } from "../../src/shard.js";
import type { CheckResult } from "../../src/types.js";
import { BENCH_CORPUS_MISSING, BENCH_CORPUS_SCRIPT, makeProject, readJson, runCli, tempDir, TSCONFIG } from "../helpers.js";

const SCRIPT = BENCH_CORPUS_SCRIPT;
const HAVE_SCRIPT = SCRIPT !== undefined;
if (!HAVE_SCRIPT) console.warn(`[shard.test] bench corpus test skipped: ${BENCH_CORPUS_MISSING}`);

describe("shardPages", () => {
  const pages = Array.from({ length: 30 }, (_, i) => ({ path: `docs/p${String(i).padStart(2, "0")}.md`, blocks: (i * 7) % 11 }));
  const weight = (p: { blocks: number }) => p.blocks;

  it("every page in exactly one shard, the same split every time, block counts within one page's weight", () => {
    for (const n of [1, 2, 3, 4, 7]) {
      const shards = Array.from({ length: n }, (_, k) => shardPages(pages, weight, k + 1, n));
      const all = shards.flat().map((p) => p.path).sort();
      expect(all).toEqual(pages.map((p) => p.path).sort());
      expect(shards).toEqual(Array.from({ length: n }, (_, k) => shardPages([...pages].reverse(), weight, k + 1, n)));
      const loads = shards.map((s) => s.reduce((x, p) => x + p.blocks, 0));
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(10);
    }
  });

  it("more shards than pages leaves some shards empty rather than splitting a page", () => {
    const few = pages.slice(0, 2);
    const shards = Array.from({ length: 4 }, (_, k) => shardPages(few, weight, k + 1, 4));
    expect(shards.map((s) => s.length).sort()).toEqual([0, 0, 1, 1]);
  });

  it("parseShard accepts k/n with 1 ≤ k ≤ n only", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, total: 4 });
    for (const bad of ["0/4", "5/4", "2", "a/b", "1/0", "-1/2"]) expect(() => parseShard(bad)).toThrow(/invalid --shard/);
  });
});

describe("mergeResults refuses what is not one whole split", () => {
  const part = (index: number, total: number, pages: string[]): { source: string; result: CheckResult } => ({
    source: `s${index}`,
    result: {
      version: 1,
      tool: { name: "validate-docs", version: "1.0.0" },
      root: "/p",
      // A checked page has fences; a report on a file that is not a page (a config setup file) has none.
      pages: pages.map((page) => ({ page, blocks: [], findings: [], counts: { fences: 1, checked: 0, skipped: 0, otherLanguage: 1, outputs: 0 } })),
      summary: summarize([]),
      timings: { total: 10 * index, run: 5 },
      shard: { index, total },
    },
  });
  it("missing, repeated or foreign shards and a page in two shards are errors; a whole split merges", () => {
    expect(() => mergeResults([part(1, 3, ["a"]), part(3, 3, ["c"])])).toThrow("shard 2/3 missing");
    expect(() => mergeResults([part(1, 2, ["a"]), part(1, 2, ["b"])])).toThrow("shard 1/2 given twice");
    expect(() => mergeResults([part(1, 2, ["a"]), part(2, 3, ["b"])])).toThrow("one of 2");
    expect(() => mergeResults([part(1, 2, ["a"]), part(2, 2, ["a"])])).toThrow("page a is in two shards");
    const { shard: _s, ...whole } = part(1, 1, ["a"]).result;
    expect(() => mergeResults([{ source: "x", result: whole }])).toThrow("not a shard report");
    const merged = mergeResults([part(2, 2, ["b", "d"]), part(1, 2, ["c", "a"])]);
    expect(merged.pages.map((p) => p.page)).toEqual(["a", "b", "c", "d"]);
    expect(merged.summary.pages).toBe(4);
    expect(merged.timings).toEqual({ total: 20, run: 10 });
    expect(merged.shard).toBeUndefined();
  });

  it("a setup file's findings reported by two shards are joined, each finding once", () => {
    const at = (line: number) => ({ start: { line, column: 1, offset: line * 10 }, end: { line, column: 2, offset: line * 10 + 1 } });
    const finding = (line: number) => ({ stage: "typecheck" as const, ruleId: "ts2322", severity: "error" as const, message: `m${line}`, page: "setup.ts", blockId: "setup.ts#L1-L9", place: at(line) });
    const withSetup = (index: number, lines: number[]) => {
      const p = part(index, 2, [index === 1 ? "a" : "b"]);
      p.result.pages.push({ page: "setup.ts", blocks: [], findings: lines.map(finding), counts: { fences: 0, checked: 0, skipped: 0, otherLanguage: 0, outputs: 0 } });
      return p;
    };
    const merged = mergeResults([withSetup(1, [2, 5]), withSetup(2, [5, 3])]);
    expect(merged.pages.map((p) => p.page)).toEqual(["a", "b", "setup.ts"]);
    expect(merged.pages[2]!.findings.map((f) => f.place.start.line)).toEqual([2, 3, 5]);
    expect(merged.summary.errors).toBe(3);
  });
});

const REPORTERS = ["console", "json", "markdown", "junit", "sarif", "html"].join(",");

/**
 * Every report file under `dir` (relative path → content), with what describes the run rather than the docs taken
 * out: wall-clock timings and cache use in index.json, the JUnit `time` attributes. Everything else must match.
 */
function reportFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const abs = path.join(dir, rel);
    if (!fs.statSync(abs).isFile()) continue;
    const name = rel.split(path.sep).join("/");
    let text = fs.readFileSync(abs, "utf8");
    if (name === "index.json") text = JSON.stringify({ ...(JSON.parse(text) as CheckResult), timings: undefined, cache: undefined }, null, 2);
    if (name.endsWith(".xml")) text = text.replace(/ time="[\d.]+"/g, ' time=""');
    out.set(name, text);
  }
  return out;
}

/** The report set of one run and of the merged shards, file by file. */
function expectSameReports(single: string, merged: string): void {
  const a = reportFiles(single);
  const b = reportFiles(merged);
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  // Each format is there (a reporter that silently wrote nothing would make the comparison empty).
  for (const f of ["index.json", "index.md", "junit.xml", "results.sarif", "index.html"]) expect(a.has(f), f).toBe(true);
  for (const [rel, content] of a) expect(b.get(rel), rel).toBe(content);
}

/** `--shard k/n` runs into out/shard-k, then merge-reports into out/merged; returns the shards' results. */
function shardAndMerge(dir: string, n: number, args: string[]): { results: CheckResult[]; merged: ReturnType<typeof runCli> } {
  const results: CheckResult[] = [];
  for (let k = 1; k <= n; k++) {
    const r = runCli([...args, "--shard", `${k}/${n}`, "--out", `out/shard-${k}`], dir);
    expect(r.code, r.stderr).not.toBe(2);
    results.push(readJson<CheckResult>(path.join(dir, `out/shard-${k}/index.json`)));
  }
  const dirs = Array.from({ length: n }, (_, k) => `out/shard-${k + 1}`);
  const merged = runCli(["merge-reports", ...dirs, "--reporter", REPORTERS, "--out", "out/merged", "--quiet"], dir);
  return { results, merged };
}

/** The summary line without its duration. */
const summaryLine = (s: string) => s.trimEnd().split("\n").pop()!.replace(/ · [\d.]+ m?s$/, "");

describe("merged shards equal one run, every report file", () => {
  it("guide templates: variants in different shards are grouped again per template line", () => {
    const dir = tempDir("vd-shard-tpl-");
    fs.cpSync(path.resolve(import.meta.dirname, "../fixtures/templates"), dir, { recursive: true, filter: (src) => !/[\\/](reports|\.validate-docs)$/.test(src) });
    const seed = path.join(dir, "seed");
    const args = ["--no-cache", "--quiet", "--reporter", REPORTERS];
    const single = runCli([...args, "--out", "out/single"], seed);
    expect(single.code, single.stderr).toBe(1);
    const { results, merged } = shardAndMerge(seed, 3, args);
    // The six variants are spread over the shards, so no shard alone sees every group's variants.
    expect(results.filter((r) => r.pages.some((p) => p.origin)).length).toBeGreaterThan(1);
    expect(merged.code, merged.stderr).toBe(1);
    expect(summaryLine(merged.stdout)).toBe(summaryLine(single.stdout));
    const one = readJson<CheckResult>(path.join(seed, "out/single/index.json"));
    expect(one.templates?.[0]?.groups.map((g) => g.variants.length)).toEqual([6, 1]);
    expectSameReports(path.join(seed, "out/single"), path.join(seed, "out/merged"));
  });

  it.skipIf(!HAVE_SCRIPT)(HAVE_SCRIPT ? "the bench corpus, 100 pages × 5 blocks, 4 shards" : `SKIPPED: ${BENCH_CORPUS_MISSING}`, () => {
    const dir = tempDir("vd-shard-corpus-");
    const gen = spawnSync(process.execPath, [SCRIPT!, "--pages", "100", "--blocks", "5", "--seed", "42", "--out", dir], { encoding: "utf8" });
    expect(gen.status, gen.stderr).toBe(0);
    // --no-cache: every shard really checks its pages (a warm cache would only replay the single run's findings).
    const args = ["--no-cache", "--quiet", "--reporter", REPORTERS];
    const single = runCli([...args, "--out", "out/single"], dir);
    expect(single.code, single.stderr).toBe(1);
    const { results, merged } = shardAndMerge(dir, 4, args);
    // 100 pages × 5 blocks: 125 blocks per shard.
    expect(results.map((r) => r.summary.blocks)).toEqual([125, 125, 125, 125]);
    expect(merged.code, merged.stderr).toBe(single.code);
    expect(summaryLine(merged.stdout)).toBe(summaryLine(single.stdout));
    const a = readJson<CheckResult>(path.join(dir, "out/single/index.json"));
    expect(a.summary.errors).toBeGreaterThan(0);
    expect(Object.keys(a.summary.levels).length).toBeGreaterThan(0);
    expectSameReports(path.join(dir, "out/single"), path.join(dir, "out/merged"));
  }, 1_200_000); // five full runs of the corpus: a guard against hangs only, on a loaded 2-core machine
});
