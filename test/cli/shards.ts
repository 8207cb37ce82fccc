// Shard runs and their merge compared with one run, file by file (test/cli/templates.test.ts on guide templates,
// test/cli/corpus.test.ts on the bench corpus).
import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { CheckResult } from "../../src/types.js";
import { readJson, runCli } from "../helpers.js";

export const REPORTERS = ["console", "json", "markdown", "junit", "sarif", "html"].join(",");

/**
 * Every report file under `dir` (relative path → content), with what describes the run rather than the docs taken
 * out: wall-clock timings and cache use in index.json, the JUnit `time` attributes. Everything else must match.
 */
export function reportFiles(dir: string): Map<string, string> {
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
export function expectSameReports(single: string, merged: string): void {
  const a = reportFiles(single);
  const b = reportFiles(merged);
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  // Each format is there (a reporter that silently wrote nothing would make the comparison empty).
  for (const f of ["index.json", "index.md", "junit.xml", "results.sarif", "index.html"]) expect(a.has(f), f).toBe(true);
  for (const [rel, content] of a) expect(b.get(rel), rel).toBe(content);
}

/** `--shard k/n` runs into out/shard-k, then merge-reports into out/merged; returns the shards' results. */
export function shardAndMerge(dir: string, n: number, args: string[]): { results: CheckResult[]; merged: ReturnType<typeof runCli> } {
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
export const summaryLine = (s: string) => s.trimEnd().split("\n").pop()!.replace(/ · [\d.]+ m?s$/, "");
