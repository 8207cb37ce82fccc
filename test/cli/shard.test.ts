// --shard k/n and merge-reports: the split is deterministic, balanced by blocks and keeps pages whole; merging
// refuses what is not one whole split. Through the CLI, the shards' merged reports are exactly the report set of one
// run, every file of console, JSON, Markdown, JUnit, SARIF and HTML: on guide templates (3 shards, groups spanning
// them) in test/cli/templates.test.ts, which shares the seed set's one check with its grouped-findings test, and on
// the bench corpus (8 pages × 5 blocks, 2 shards) in test/cli/corpus.test.ts, which shares that corpus's one full run
// with its manifest check.
import { describe, expect, it } from "vitest";
import { mergeResults } from "../../src/merge-reports.js";
import { summarize } from "../../src/pipeline.js";
import { parseShard, shardPages } from "../../src/shard.js";
import type { CheckResult } from "../../src/types.js";

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
