// Real pages in temp projects: Markdown on disk → extract → one program → lint. No stage is faked.
import { makeProject, readPage } from "../helpers.js";
import { extract } from "../../src/extract/index.js";
import { lint, type LintConfig } from "../../src/lint/index.js";
import { createBlockProgram } from "../../src/typecheck/program.js";
import type { CodeBlock, Finding, Page } from "../../src/types.js";

/** A temp project with the given files (relative paths), removed after the test file. */
export function project(files: Record<string, string>): string {
  return makeProject(files, "vd-lint-");
}

export { readPage };

export interface Linted {
  page: Page;
  blocks: CodeBlock[];
  findings: Finding[];
}

export function lintPage(root: string, rel: string, config: Partial<LintConfig> = {}, tsconfig?: string): Linted {
  const page = readPage(root, rel);
  const { blocks } = extract(page);
  const bp = createBlockProgram(blocks, { root, tsconfig, checkJs: false });
  const findings = lint(bp, blocks, { rules: {}, plugins: {}, bannedApis: [], ...config }).findings;
  return { page, blocks, findings };
}

/** The page Point of the n-th occurrence of `needle` (1-based line/column). */
export function pointOf(source: string, needle: string, nth = 0): { line: number; column: number; offset: number } {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = source.indexOf(needle, offset + 1);
  if (offset < 0) throw new Error(`"${needle}" not found`);
  const before = source.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n"), offset };
}
