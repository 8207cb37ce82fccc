// The rule docs are proof: every ❌ example must produce its rule's finding, every ✅ example none, and every
// example must type-check with the repository's tsconfig.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import type { BannedApi } from "../../src/config-types.js";
import { extract } from "../../src/extract/index.js";
import { lint } from "../../src/lint/index.js";
import { createBlockProgram } from "../../src/typecheck/program.js";
import type { CodeBlock, Page } from "../../src/types.js";
import { builtinRules } from "../../rules/index.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function readPage(rel: string): Page {
  const abs = path.join(repo, rel);
  return { path: rel, abs, source: fs.readFileSync(abs, "utf8") };
}

/** no-banned-api's page states the configuration its examples are checked with, as the first JSON block. */
function bansOf(page: Page): BannedApi[] {
  const json = /```json\n([\s\S]*?)```/.exec(page.source)?.[1];
  const parsed = json ? (JSON.parse(json) as { bannedApis?: BannedApi[] }) : {};
  return parsed.bannedApis ?? [];
}

describe("docs/rules examples", () => {
  const pages = Object.keys(builtinRules).map((id) => readPage(`docs/rules/${id}.md`));
  const blocks: CodeBlock[] = pages.flatMap((page) => extract(page).blocks);
  const bp = createBlockProgram(blocks, { root: repo, tsconfig: path.join(repo, "tsconfig.json"), checkJs: false });
  const bannedApis = pages.flatMap(bansOf);
  const findings = lint(bp, blocks, { rules: {}, plugins: {}, bannedApis }).findings;

  for (const block of blocks) {
    const expected = block.attrs.expectFinding ?? [];
    it(`${block.id} ${expected.length ? `reports exactly ${expected.join(", ")}` : "reports nothing"}`, () => {
      const own = findings.filter((f) => f.blockId === block.id);
      expect(own.length > 0 || expected.length === 0).toBe(true);
      expect([...new Set(own.map((f) => f.ruleId))]).toEqual(expected);
    });

    it(`${block.id} type-checks`, () => {
      const sf = bp.sourceFileOf(block)!;
      const diagnostics = [...bp.program.getSyntacticDiagnostics(sf), ...bp.program.getSemanticDiagnostics(sf)];
      expect(diagnostics.map((d) => `TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`)).toEqual([]);
    });
  }
});
