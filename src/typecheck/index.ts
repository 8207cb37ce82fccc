// The type-check stage: TypeScript diagnostics of the block files → findings at page positions.
import path from "node:path";
import ts from "../typescript.cjs";
import { fencePlace, toPagePlace } from "../extract/position.js";
import type { CodeBlock, Finding, Severity, Span } from "../types.js";
import type { BlockProgram } from "./program-types.js";

export { createBlockProgram, isProgramBlock, virtualFileName } from "./program.js";
export { compilerOptionsFor, readTsconfig } from "./options.js";
export type { BlockProgram, ProgramOptions } from "./program-types.js";

/**
 * Syntactic and semantic diagnostics of every block in the program (never of lib or dependency files).
 * JS blocks get type diagnostics only with `checkJs` (or a `// @ts-check` comment in the block); their syntax
 * errors are always reported. Diagnostics that belong to no block (compiler options, missing global types) are
 * attached to the opening fence of the first checked block, so they are never lost.
 */
export function typecheck(bp: BlockProgram, blocks: CodeBlock[]): Finding[] {
  const first = blocks.find((b) => bp.sourceFileOf(b));
  return [...typecheckBlocks(bp, blocks), ...(first ? programFindings(bp, first) : [])];
}

/** The diagnostics of each block's own file (typecheck() without the whole-program ones). */
export function typecheckBlocks(bp: BlockProgram, blocks: CodeBlock[]): Finding[] {
  const { program } = bp;
  const checkJs = program.getCompilerOptions().checkJs === true;
  const findings: Finding[] = [];
  for (const block of blocks) {
    const sourceFile = bp.sourceFileOf(block);
    if (!sourceFile) continue;
    const diagnostics: ts.Diagnostic[] = [...program.getSyntacticDiagnostics(sourceFile)];
    if (block.kind === "ts" || checkJs || hasTsCheck(sourceFile)) {
      diagnostics.push(...program.getSemanticDiagnostics(sourceFile));
    }
    for (const d of diagnostics) findings.push(blockFinding(bp, block, d));
  }
  return findings;
}

/** Diagnostics that belong to no block (compiler options, global types), at the fence of `anchor`. */
export function programFindings(bp: BlockProgram, anchor: CodeBlock): Finding[] {
  const { program } = bp;
  return [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map((d) => globalFinding(bp, anchor, d));
}

/** A `// @ts-check` comment before the first statement opts a JS file in, as in TypeScript itself. */
function hasTsCheck(sourceFile: ts.SourceFile): boolean {
  const first = sourceFile.statements[0];
  const head = sourceFile.text.slice(0, first ? first.getStart(sourceFile) : sourceFile.text.length);
  return /\/\/\s*@ts-check\b|\/\*\s*@ts-check\b/.test(head);
}

function severityOf(d: ts.Diagnostic): Severity {
  if (d.category === ts.DiagnosticCategory.Error) return "error";
  if (d.category === ts.DiagnosticCategory.Warning) return "warning";
  return "info";
}

function blockFinding(bp: BlockProgram, block: CodeBlock, d: ts.Diagnostic): Finding {
  const place =
    d.start === undefined
      ? fencePlace(block)
      : toPagePlace(block, bp.toBlockOffset(block, d.start), bp.toBlockOffset(block, d.start + (d.length ?? 0)));
  const finding: Finding = {
    stage: "typecheck",
    ruleId: `ts${d.code}`,
    severity: severityOf(d),
    message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
    page: block.page,
    blockId: block.id,
    place,
  };
  const hint = relatedHint(bp, d);
  if (hint) finding.hint = hint;
  return finding;
}

/** A diagnostic outside any block (e.g. in tsconfig.json, or none at all): at the first block's fence, with where. */
function globalFinding(bp: BlockProgram, anchor: CodeBlock, d: ts.Diagnostic): Finding {
  // Option diagnostics often carry no file; name the tsconfig they come from when there is one.
  const configFile = bp.program.getCompilerOptions().configFilePath;
  const where = d.file
    ? `${describe(bp, d.file, d.start)}: `
    : typeof configFile === "string"
      ? `${relative(bp, configFile)}: `
      : "";
  const finding: Finding = {
    stage: "typecheck",
    ruleId: `ts${d.code}`,
    severity: severityOf(d),
    message: `${where}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
    page: anchor.page,
    blockId: anchor.id,
    place: fencePlace(anchor),
    hint:
      "this diagnostic concerns the whole TypeScript program (compiler options or global types), not this block; " +
      "it is shown at the first checked block so it is not lost",
  };
  const related = relatedHint(bp, d);
  if (related) finding.hint = `${finding.hint}\n${related}`;
  return finding;
}

function relatedHint(bp: BlockProgram, d: ts.Diagnostic): string | undefined {
  const lines = (d.relatedInformation ?? []).map((r) => {
    const where = r.file ? `${describe(bp, r.file, r.start)}: ` : "";
    return `${where}${ts.flattenDiagnosticMessageText(r.messageText, "\n")}`;
  });
  return lines.length > 0 ? lines.join("\n") : undefined;
}

/** `page:line:col` for a block file, `relative/path:line:col` for any other file. */
function describe(bp: BlockProgram, file: ts.SourceFile, start: number | undefined): string {
  const block = bp.blockOf(file.fileName);
  if (block) {
    const span: Span =
      start === undefined ? fencePlace(block) : toPagePlace(block, bp.toBlockOffset(block, start), bp.toBlockOffset(block, start));
    return `${block.page}:${span.start.line}:${span.start.column}`;
  }
  const name = relative(bp, file.fileName);
  if (start === undefined) return name;
  const { line, character } = file.getLineAndCharacterOfPosition(start);
  return `${name}:${line + 1}:${character + 1}`;
}

function relative(bp: BlockProgram, fileName: string): string {
  return path.relative(bp.program.getCurrentDirectory(), fileName).replace(/\\/g, "/") || fileName;
}
