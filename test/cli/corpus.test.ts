// A generated docs corpus (test/bench/make-corpus.mjs: 8 pages × 5 blocks, every mistake of its catalog, both
// banned variants, clean blocks; asserted below) through the real CLI in one run with every stage: the findings must
// be exactly what the generator's manifest implies, block by block (test/bench/manifest.mjs, the bench's comparison);
// and the same corpus in 2 shards merged back gives that run's report set, file by file (see test/cli/templates.test.ts,
// which merges 3). Both tests read the one full run. The corpus checks with ES2022 and the test globals, not the
// DOM lib (`testGlobals`: its blocks use only console and timers; ≈ 0.5 s of CPU less in each of the four runs).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkReport, expectedErrors, expectThrows, type ReportIndex } from "../bench/manifest.mjs";
import type { CheckResult } from "../../src/types.js";
import { expectWholeCatalog, makeCorpus, once, readJson, runCli, tempDir, WHOLE_CATALOG } from "../helpers.js";
import { expectSameReports, REPORTERS, shardAndMerge, summaryLine } from "./shards.js";

// --no-cache: the shards below must really check their pages (a warm cache would only replay this run's findings).
const ARGS = ["--no-cache", "--quiet", "--reporter", REPORTERS];
const PAGES = WHOLE_CATALOG.pages;
const SHARDS = 2;

/** The corpus generated into a temp dir and checked in one run with every stage, reports in out/single. */
const corpus = once(() => {
  const dir = tempDir("vd-corpus-");
  const manifest = makeCorpus(dir, WHOLE_CATALOG);
  return { dir, manifest, r: runCli([...ARGS, "--out", "out/single"], dir) };
});

describe(`generated corpus (${PAGES} pages × 5 blocks) through the CLI`, () => {
  it("covers every kind of finding the generator can expect", () => {
    const { manifest } = corpus();
    expect(manifest).toHaveLength(PAGES * 5);
    expectWholeCatalog(manifest);
    const kinds = new Set(manifest.map((m) => (m.banned ? "banned" : `${m.expectTypeError ? "type error" : "no type error"}, ${expectThrows(m) ? "throws" : "runs"}`)));
    expect([...kinds].sort()).toEqual(["banned", "no type error, runs", "no type error, throws", "type error, runs", "type error, throws"]);
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

  it(`${SHARDS} shards merged give the one run's report set, every file`, () => {
    const { dir, r: single } = corpus();
    expect(single.code, single.stderr).toBe(1);
    const { results, merged } = shardAndMerge(dir, SHARDS, ARGS);
    expect(results.map((r) => r.summary.pages)).toEqual([4, 4]);
    expect(results.reduce((n, r) => n + r.summary.blocks, 0)).toBe(PAGES * 5);
    expect(merged.code, merged.stderr).toBe(single.code);
    expect(summaryLine(merged.stdout)).toBe(summaryLine(single.stdout));
    const a = readJson<CheckResult>(path.join(dir, "out/single/index.json"));
    expect(a.summary.errors).toBeGreaterThan(0);
    expect(Object.keys(a.summary.levels).length).toBeGreaterThan(0);
    expectSameReports(path.join(dir, "out/single"), path.join(dir, "out/merged"));
  }, 1_200_000); // up to three full runs of the corpus: a guard against hangs only, on a loaded 2-core machine
});
