// The docs are proof: the tool validates its own docs/ (and README) through the real CLI, as `npm run validate-docs` does.
import path from "node:path";
import { expect, it } from "vitest";
import { readJson, REPO, runCli, tempDir } from "../helpers.js";

it("validate-docs passes on this repository's own docs", () => {
  const out = tempDir("vd-own-docs-");
  const r = runCli(["--out", out], REPO);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const index = readJson(path.join(out, "index.json"));
  const pages = index.pages.map((p: { page: string }) => p.page);
  expect(pages).toContain("README.md");
  expect(pages).toContain("docs/configuration.md");
  expect(pages.filter((p: string) => p.startsWith("docs/rules/")).length).toBeGreaterThanOrEqual(4);
  // Every skipped block says why, in the author's words (not the placeholder for a missing reason).
  const skipped = index.pages.flatMap((p: { blocks: { status: string; skipReason?: string }[] }) => p.blocks.filter((b) => b.status === "skipped"));
  expect(skipped.length).toBeGreaterThan(0);
  for (const b of skipped) expect(b.skipReason).toMatch(/^(?!\(no reason given\)$|not run).{8,}/);
  expect(index.summary.errors).toBe(0);
  expect(index.summary.passed).toBeGreaterThan(10);
});
