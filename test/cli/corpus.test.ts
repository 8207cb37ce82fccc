// A generated docs corpus (test/bench/make-corpus.mjs: 16 pages × 5 blocks, every mistake of its catalog, both
// banned variants, clean blocks) through the real CLI in one run with every stage: the findings must be exactly what
// the generator's manifest implies, block by block (test/bench/manifest.mjs, the bench's comparison); and the same
// corpus in 4 shards merged back gives that run's report set, file by file (see test/cli/shard.test.ts). Both tests
// read the one full run.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG } from "../bench/make-corpus.mjs";
import { checkReport, expectedErrors, expectThrows, type ReportIndex } from "../bench/manifest.mjs";
import type { CheckResult } from "../../src/types.js";
import { makeCorpus, once, readJson, runCli, tempDir } from "../helpers.js";
import { expectSameReports, REPORTERS, shardAndMerge, summaryLine } from "./shards.js";

// --no-cache: the shards below must really check their pages (a warm cache would only replay this run's findings).
const ARGS = ["--no-cache", "--quiet", "--reporter", REPORTERS];
const PAGES = 16;

/** The corpus generated into a temp dir and checked in one run with every stage, reports in out/single. */
const corpus = once(() => {
  const dir = tempDir("vd-corpus-");
  const manifest = makeCorpus(dir, { pages: PAGES, blocks: 5, seed: 42, errorRate: 0.5, bannedRate: 0.1 });
  return { dir, manifest, r: runCli([...ARGS, "--out", "out/single"], dir) };
});

describe(`generated corpus (${PAGES} pages × 5 blocks) through the CLI`, () => {
  it("covers every kind of finding the generator can expect", () => {
    const { manifest } = corpus();
    expect(manifest).toHaveLength(PAGES * 5);
    const mistakes = new Set(manifest.flatMap((m) => (m.mistake ? [`${m.template}:${m.mistake}`] : [])));
    expect([...mistakes].sort()).toEqual(Object.entries(CATALOG).flatMap(([t, ms]) => Object.keys(ms).map((m) => `${t}:${m}`)).sort());
    const kinds = new Set(manifest.map((m) => (m.banned ? "banned" : `${m.expectTypeError ? "type error" : "no type error"}, ${expectThrows(m) ? "throws" : "runs"}`)));
    expect([...kinds].sort()).toEqual(["banned", "no type error, runs", "no type error, throws", "type error, runs", "type error, throws"]);
    expect(new Set(manifest.filter((m) => m.banned).map((m) => m.template)).size).toBe(2);
  });

  it("reports exactly the findings its manifest implies, in one run", () => {
    const { dir, manifest, r } = corpus();
    expect(r.stderr).toBe("");
    const index = readJson<ReportIndex & CheckResult>(path.join(dir, "out/single/index.json"));
    expect(index.summary).toMatchObject({ pages: PAGES, blocks: PAGES * 5 });
    expect(checkReport(index, manifest)).toEqual([]);
    expect(index.summary.errors).toBe(expectedErrors(manifest));
    expect(r.code).toBe(1);
  });

  it("4 shards merged give the one run's report set, every file", () => {
    const { dir, r: single } = corpus();
    expect(single.code, single.stderr).toBe(1);
    const { results, merged } = shardAndMerge(dir, 4, ARGS);
    expect(results.map((r) => r.summary.pages)).toEqual([4, 4, 4, 4]);
    expect(results.reduce((n, r) => n + r.summary.blocks, 0)).toBe(PAGES * 5);
    expect(merged.code, merged.stderr).toBe(single.code);
    expect(summaryLine(merged.stdout)).toBe(summaryLine(single.stdout));
    const a = readJson<CheckResult>(path.join(dir, "out/single/index.json"));
    expect(a.summary.errors).toBeGreaterThan(0);
    expect(Object.keys(a.summary.levels).length).toBeGreaterThan(0);
    expectSameReports(path.join(dir, "out/single"), path.join(dir, "out/merged"));
  }, 1_200_000); // up to five full runs of the corpus: a guard against hangs only, on a loaded 2-core machine
});
