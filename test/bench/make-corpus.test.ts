// The corpus generator itself (test/bench/make-corpus.mjs): deterministic for a seed, a manifest that describes its
// pages, clean with rates 0, and clear errors for bad arguments. What validate-docs finds in its corpora is
// test/cli/corpus.test.ts.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG } from "./make-corpus.mjs";
import { CORPUS_SCRIPT, makeCorpus, tempDir } from "../helpers.js";

/** Every file under dir (relative path → content). */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const abs = path.join(dir, rel);
    if (fs.statSync(abs).isFile()) out.set(rel, fs.readFileSync(abs, "utf8"));
  }
  return out;
}

describe("make-corpus", () => {
  it("writes the same bytes for the same seed, other pages for another seed", () => {
    const [a, b, c] = [tempDir("vd-gen-"), tempDir("vd-gen-"), tempDir("vd-gen-")];
    makeCorpus(a, { pages: 6, seed: 7 });
    makeCorpus(b, { pages: 6, seed: 7 });
    makeCorpus(c, { pages: 6, seed: 8 });
    const ta = tree(a);
    expect(ta.has("node_modules/@acme/tracer/index.d.ts")).toBe(true);
    expect(tree(b)).toEqual(ta);
    const tc = tree(c);
    expect(tc.get("manifest.json")).not.toBe(ta.get("manifest.json"));
    expect(tc.get("node_modules/@acme/tracer/index.js")).toBe(ta.get("node_modules/@acme/tracer/index.js"));
  });

  it("lists every TS fence of every page, in order, at its first code line", () => {
    const dir = tempDir("vd-gen-");
    const manifest = makeCorpus(dir, { pages: 12, blocks: 4, errorRate: 0.4, bannedRate: 0.1 });
    const pages = fs.readdirSync(path.join(dir, "docs")).sort();
    expect(pages).toHaveLength(12);
    expect(manifest).toHaveLength(48);
    for (const name of pages) {
      const lines = fs.readFileSync(path.join(dir, "docs", name), "utf8").split("\n");
      const fences = lines.flatMap((l, i) => (/^```(ts|typescript)$/.test(l) ? [{ fence: l.slice(3), line: i + 2 }] : []));
      const rows = manifest.filter((m) => m.page === `docs/${name}`);
      expect(rows.map((m) => ({ fence: m.fence, line: m.line })), name).toEqual(fences);
      expect(rows.map((m) => m.index)).toEqual([1, 2, 3, 4]);
    }
    for (const m of manifest) {
      const mistake = m.mistake ? CATALOG[m.template]?.[m.mistake] : undefined;
      if (m.mistake) expect(mistake, `${m.template}:${m.mistake}`).toBeDefined();
      expect(m.expectTypeError).toBe(mistake?.code ?? null);
      expect(m.throws).toBe(mistake?.throws ?? false);
      if (m.banned) expect(m.mistake).toBeNull();
    }
  });

  it("with both rates 0, writes only clean blocks", () => {
    const dir = tempDir("vd-gen-");
    const manifest = makeCorpus(dir, { pages: 10, errorRate: 0, bannedRate: 0 });
    expect(manifest).toHaveLength(50);
    expect(manifest.filter((m) => m.mistake !== null || m.expectTypeError !== null || m.throws || m.banned)).toEqual([]);
    expect(new Set(manifest.map((m) => m.template)).size).toBeGreaterThan(5);
  });

  it("refuses bad arguments with exit 2 and what to pass", () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [CORPUS_SCRIPT, ...args], { encoding: "utf8" });
    const dir = tempDir("vd-gen-");
    for (const [args, message] of [
      [["--pages", "3"], /--pages and --out are required/],
      [["--pages", "0", "--out", dir], /--pages must be a positive integer, got 0/],
      [["--pages", "3", "--out", dir, "--error-rate", "2"], /--error-rate must be between 0 and 1, got 2/],
      [["--pages", "3", "--out", dir, "--error-rate", "0.7", "--banned-rate", "0.5"], /add up to more than 1/],
      [["--pages", "3", "--out", dir, "--colour"], /Unknown option '--colour'/],
    ] as const) {
      const r = run(...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
