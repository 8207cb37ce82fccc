// A generated docs corpus (test/bench/make-corpus.mjs, WHOLE_CATALOG: 8 pages × 5 blocks with every mistake of the
// generator's catalog, both banned variants and clean blocks, asserted): the lint stage must flag exactly the blocks
// its manifest lists as using the banned `Tracer.init({ apiKey, instrumentors })` pattern, and nothing else.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extract } from "../../src/extract/index.js";
import { lint } from "../../src/lint/index.js";
import { createBlockProgram } from "../../src/typecheck/program.js";
import { expectWholeCatalog, makeCorpus, WHOLE_CATALOG } from "../helpers.js";
import { project, readPage } from "./helpers.js";

describe("generated corpus", () => {
  it("flags exactly the manifest's banned blocks", () => {
    const root = project({});
    // Every kind of block: each mistake, both banned variants, clean blocks.
    const manifest = makeCorpus(root, WHOLE_CATALOG);
    expectWholeCatalog(manifest);
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
