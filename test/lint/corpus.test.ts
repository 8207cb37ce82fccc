// The bench corpus (../shared/bench/make-corpus.mjs, 100 pages × 5 blocks): the lint stage must flag exactly the
// blocks its manifest lists as using the banned `Tracer.init({ apiKey, instrumentors })` pattern, and nothing else.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extract } from "../../src/extract/index.js";
import { lint } from "../../src/lint/index.js";
import { createBlockProgram } from "../../src/typecheck/program.js";
import { BENCH_CORPUS_MISSING, BENCH_CORPUS_SCRIPT } from "../helpers.js";
import { project, readPage } from "./helpers.js";

const generator = BENCH_CORPUS_SCRIPT;
if (!generator) console.warn(`[lint/corpus.test] skipped: ${BENCH_CORPUS_MISSING}`);

describe.skipIf(!generator)("bench corpus", () => {
  it("flags exactly the manifest's banned blocks", () => {
    const root = project({});
    execFileSync(process.execPath, [generator!, "--pages", "100", "--blocks", "5", "--out", root], { stdio: "ignore" });
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "manifest.json"), "utf8")) as {
      page: string;
      /** 1-based ordinal of the TS block on its page (the manifest's `line` is not reliable). */
      index: number;
      banned: boolean;
    }[];
    const pages = fs.readdirSync(path.join(root, "docs")).sort().map((f) => readPage(root, `docs/${f}`));
    const blocks = pages.flatMap((p) => extract(p).blocks);
    const bp = createBlockProgram(blocks, { root, tsconfig: path.join(root, "tsconfig.json"), checkJs: false });
    const findings = lint(bp, blocks, {
      rules: { "no-init-instrumentors": ["error", { modules: ["@acme/tracer"] }] },
      plugins: {},
      bannedApis: [],
    }).findings;
    const key = (page: string, ordinal: number) => `${page}#${ordinal}`;
    const blockKey = (f: { page: string; blockId?: string }) => key(f.page, blocks.find((b) => b.id === f.blockId)!.index + 1);
    const flagged = new Set(findings.filter((f) => f.ruleId === "no-init-instrumentors").map(blockKey));
    const banned = new Set(manifest.filter((m) => m.banned).map((m) => key(m.page, m.index)));
    expect(banned.size).toBeGreaterThan(0);
    expect([...flagged].sort()).toEqual([...banned].sort());
    // The banned pattern also uses the deprecated Tracer.init; nothing else in the corpus is a lint finding.
    const others = findings.filter((f) => f.ruleId !== "no-init-instrumentors");
    expect(others.filter((f) => !(f.ruleId === "no-deprecated" && banned.has(blockKey(f))))).toEqual([]);
  });
});
