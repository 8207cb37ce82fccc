// The bench corpus (../shared/bench/make-corpus.mjs, 100 pages × 5 blocks, seed 42) through the real CLI in one
// run with every stage: the findings must be exactly what the generator's manifest implies, block by block; and the
// same corpus in 4 shards merged back gives that run's report set, file by file (see test/cli/shard.test.ts). Both
// tests read the one full run (a corpus run is the suite's most expensive CLI run).
// The generator lives outside this repository; a clean clone without it skips this file and says why.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { areEquivalentCodes } from "../../src/expect.js";
import type { CheckResult } from "../../src/types.js";
import { BENCH_CORPUS_MISSING, BENCH_CORPUS_SCRIPT, once, readJson, runCli, tempDir } from "../helpers.js";
import { expectSameReports, REPORTERS, shardAndMerge, summaryLine } from "./shards.js";

const SCRIPT = BENCH_CORPUS_SCRIPT;
const HAVE_SCRIPT = SCRIPT !== undefined;
const SKIP_REASON = BENCH_CORPUS_MISSING;
if (!HAVE_SCRIPT) console.warn(`[corpus.test] skipped: ${SKIP_REASON}`);

interface ManifestRow {
  page: string;
  /** 1-based index among the page's TS blocks. */
  index: number;
  template: string;
  expectTypeError: number | null;
  banned: boolean;
}
interface ReportFinding {
  ruleId: string;
  severity: string;
  blockId?: string;
  message: string;
}
interface Index {
  pages: { page: string; findings: ReportFinding[]; blocks: { id: string; line: number }[] }[];
  summary: { pages: number; blocks: number; errors: number };
}

/**
 * Which deliberate type errors also throw when run, read from the generator's templates:
 * basicSpan passes an object to setAttribute (the SDK throws TypeError "bad attribute"), generics calls the
 * misspelled `tracer.startSpn` outside its try, customExporter omits serviceName (the constructor throws),
 * nestedSpans calls toUpperCase on a number inside an awaited Promise.all, instrumentations iterates a single
 * instrumentor. The others only mistype a value that is still valid at run time (asyncWithSpan assigns a
 * number to a string; serviceClass passes "123", which the SDK accepts). Banned and clean blocks never throw.
 */
const THROWING_WHEN_MISTYPED = new Set(["basicSpan", "generics", "customExporter", "nestedSpans", "instrumentations"]);

// --no-cache: the shards below must really check their pages (a warm cache would only replay this run's findings).
const ARGS = ["--no-cache", "--quiet", "--reporter", REPORTERS];

/** The corpus generated into a temp dir and checked in one run with every stage, reports in out/single. */
const corpus = once(() => {
  const dir = tempDir("vd-corpus-");
  const gen = spawnSync(process.execPath, [SCRIPT!, "--pages", "100", "--blocks", "5", "--seed", "42", "--out", dir], { encoding: "utf8" });
  expect(gen.status, gen.stderr).toBe(0);
  return { dir, r: runCli([...ARGS, "--out", "out/single"], dir) };
});

describe("bench corpus (100 pages × 5 blocks) through the CLI", () => {
  it.skipIf(!HAVE_SCRIPT)(HAVE_SCRIPT ? "reports exactly the findings its manifest implies, in one run" : `SKIPPED: ${SKIP_REASON}`, () => {
    const { dir, r } = corpus();
    const manifest = readJson<ManifestRow[]>(path.join(dir, "manifest.json"));
    expect(manifest).toHaveLength(500);
    expect(r.stderr).toBe("");
    const index = readJson<Index>(path.join(dir, "out/single/index.json"));
    expect(index.summary).toMatchObject({ pages: 100, blocks: 500 });

    // Every finding is attributed to its manifest row through the block's position among the page's TS blocks
    // (the manifest's `line` drifts after a multi-line JSON fence, so it is not used).
    const rowOf = new Map<string, ManifestRow>();
    for (const page of index.pages) {
      const rows = manifest.filter((m) => m.page === page.page);
      expect(page.blocks.map((b) => b.id.split("#")[0]), page.page).toEqual(rows.map((m) => m.page));
      page.blocks.forEach((block, i) => rowOf.set(block.id, rows.find((m) => m.index === i + 1)!));
    }
    const at = (row: ManifestRow): string => `${row.page}#${row.index}`;
    const errors = index.pages.flatMap((p) => p.findings.filter((f) => f.severity === "error"));
    const located = errors.map((f) => {
      const row = f.blockId === undefined ? undefined : rowOf.get(f.blockId);
      if (!row) throw new Error(`error finding outside any manifest block: ${f.ruleId} ${f.message}`);
      return { f, row };
    });
    const byRule = (match: (ruleId: string) => boolean): string[] => located.filter(({ f }) => match(f.ruleId)).map(({ row }) => at(row)).sort();

    // Type errors: exactly the manifest's blocks, each with its code or a documented equivalent (TS 6 vs 7).
    const tsErrors = located.filter(({ f }) => /^ts\d+$/.test(f.ruleId));
    const expectedTs = manifest.filter((m) => m.expectTypeError !== null);
    expect(tsErrors.map(({ row }) => at(row)).sort()).toEqual(expectedTs.map(at).sort());
    for (const { f, row } of tsErrors) {
      const code = Number(f.ruleId.slice(2));
      expect(areEquivalentCodes(code, row.expectTypeError!), `${at(row)}: got ${f.ruleId}, manifest says TS${row.expectTypeError}`).toBe(true);
    }

    const throwing = manifest.filter((m) => m.expectTypeError !== null && THROWING_WHEN_MISTYPED.has(m.template));
    expect(byRule((id) => id === "run/threw")).toEqual(throwing.map(at).sort());
    expect(throwing).toHaveLength(23); // PEERS.md's figure for seed 42

    expect(byRule((id) => id === "no-init-instrumentors")).toEqual(manifest.filter((m) => m.banned).map(at).sort());

    const other = located.filter(({ f }) => !/^ts\d+$/.test(f.ruleId) && f.ruleId !== "run/threw" && f.ruleId !== "no-init-instrumentors");
    expect(other.map(({ f, row }) => `${at(row)} ${f.ruleId}: ${f.message}`)).toEqual([]);
    expect(index.summary.errors).toBe(expectedTs.length + throwing.length + manifest.filter((m) => m.banned).length);
    expect(r.code).toBe(1);
  });

  it.skipIf(!HAVE_SCRIPT)(HAVE_SCRIPT ? "4 shards merged give the one run's report set, every file" : `SKIPPED: ${SKIP_REASON}`, () => {
    const { dir, r: single } = corpus();
    expect(single.code, single.stderr).toBe(1);
    const { results, merged } = shardAndMerge(dir, 4, ARGS);
    // 100 pages × 5 blocks: 125 blocks per shard.
    expect(results.map((r) => r.summary.blocks)).toEqual([125, 125, 125, 125]);
    expect(merged.code, merged.stderr).toBe(single.code);
    expect(summaryLine(merged.stdout)).toBe(summaryLine(single.stdout));
    const a = readJson<CheckResult>(path.join(dir, "out/single/index.json"));
    expect(a.summary.errors).toBeGreaterThan(0);
    expect(Object.keys(a.summary.levels).length).toBeGreaterThan(0);
    expectSameReports(path.join(dir, "out/single"), path.join(dir, "out/merged"));
  }, 1_200_000); // up to five full runs of the corpus: a guard against hangs only, on a loaded 2-core machine
});
