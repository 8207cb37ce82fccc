// The type-check stage: TypeScript diagnostics of the block files → findings at page positions.
import path from "node:path";
import ts from "../typescript.cjs";
import { fencePlace, toPagePlace } from "../extract/position.js";
import type { CheckJsMode, CodeBlock, Finding, Severity, Span, StageOutcome } from "../types.js";
import type { BlockProgram } from "./program-types.js";
import { keepTypedJs, nodeAt } from "./js-typed.js";

export { createBlockProgram, isProgramBlock, virtualFileName } from "./program.js";
export { compilerOptionsFor, readTsconfig } from "./options.js";
export type { BlockProgram, ProgramOptions } from "./program-types.js";
export { UNDECLARED_CODES } from "./js-typed.js";

/**
 * Syntactic and semantic diagnostics of every block in the program (never of lib or dependency files).
 * JS blocks get type diagnostics only with `checkJs` (or a `// @ts-check` comment in the block); their syntax
 * errors are always reported. Diagnostics that belong to no block (compiler options, missing global types) are
 * attached to the opening fence of the first checked block, so they are never lost.
 */
/**
 * How deep a block is checked: `parse` → syntax errors only; `resolve` → also imports that do not resolve;
 * `typecheck` (default) → every diagnostic.
 */
export type CheckDepth = "parse" | "resolve" | "typecheck";
/** TypeScript codes of imports that do not resolve (module not found, or no such export). */
export const RESOLVE_CODES: ReadonlySet<number> = new Set([2307, 2792, 2305, 2724]);
type DepthOf = (block: CodeBlock) => CheckDepth;
const full: DepthOf = () => "typecheck";
/** The configured JavaScript mode of a block (before its own attribute and pragmas, see jsMode). */
export type JsModeOf = (block: CodeBlock) => CheckJsMode;
/** Without a configured mode: the program's `checkJs` option decides, as in TypeScript itself. */
const fromProgram = (bp: BlockProgram): JsModeOf => {
  const mode = bp.program.getCompilerOptions().checkJs === true ? "full" : "off";
  return () => mode;
};

export function typecheck(bp: BlockProgram, blocks: readonly CodeBlock[], depthOf: DepthOf = full, jsModeOf: JsModeOf = fromProgram(bp)): StageOutcome {
  const first = blocks.find((b) => bp.sourceFileOf(b));
  const outcome = typecheckBlocks(bp, blocks, depthOf, jsModeOf);
  return { findings: [...outcome.findings, ...(first ? programFindings(bp, first) : [])], checked: outcome.checked };
}

/**
 * The diagnostics of each block's own file (typecheck() without the whole-program ones), and which blocks were
 * type-checked. `passed`: blocks another compiler (the native TypeScript 7, src/typecheck/native.ts) found no
 * diagnostic in outside carried code; TypeScript 6 does not type-check them again. Any other block gets TypeScript
 * 6's diagnostics, as without it.
 */
export function typecheckBlocks(
  bp: BlockProgram,
  blocks: readonly CodeBlock[],
  depthOf: DepthOf = full,
  jsModeOf: JsModeOf = fromProgram(bp),
  passed: (block: CodeBlock) => boolean = () => false,
): StageOutcome {
  const { program } = bp;
  const findings: Finding[] = [];
  const checked = new Set<string>();
  for (const block of blocks) {
    const sourceFile = bp.sourceFileOf(block);
    if (!sourceFile) continue;
    const unparsed = bp.unparsed.get(block);
    if (unparsed !== undefined) {
      findings.push(crashFinding(block, unparsed, "parse"));
      continue;
    }
    // One block that crashes the checker (a stack overflow on deep nesting) must not lose every other block's result.
    try {
      const diagnostics: ts.Diagnostic[] = [...program.getSyntacticDiagnostics(sourceFile)];
      const depth = depthOf(block);
      const mode = jsMode(block, jsModeOf(block));
      if (depth !== "parse" && typechecks(block, mode)) {
        let semantic = passed(block) ? [] : program.getSemanticDiagnostics(sourceFile);
        // A JS block that is not type-checked in full: only misuse of typed APIs (src/typecheck/js-typed.ts).
        if (block.kind === "js" && mode === "typed") semantic = semantic.filter((d) => keepTypedJs(bp, sourceFile, d, RESOLVE_CODES));
        diagnostics.push(...(depth === "resolve" ? semantic.filter((d) => RESOLVE_CODES.has(d.code)) : semantic));
        if (depth === "typecheck") checked.add(block.id);
      }
      for (const d of diagnostics) {
        // Carried code never gets a finding of its own: it is reported on the block it was written in.
        if (d.start !== undefined && bp.toBlockOffset(block, d.start) < 0) continue;
        if (clashWithAnotherBlock(bp, block, sourceFile, d)) continue;
        findings.push(blockFinding(bp, block, d));
      }
    } catch (err) {
      findings.push(crashFinding(block, err instanceof Error ? `${err.name}: ${err.message}` : String(err), "check"));
    }
  }
  return { findings, checked };
}

/**
 * Whether the stage type-checks a block (beyond its syntax): TS blocks, and JS blocks whose mode (see jsMode) is
 * not `off`.
 */
export function typechecks(block: CodeBlock, mode: CheckJsMode): boolean {
  return block.kind === "ts" || mode !== "off";
}

/**
 * The mode a JS block is type-checked in: its `check-js=` attribute; else a `// @ts-check` (full) or
 * `// @ts-nocheck` (off) comment before its first statement, as in TypeScript itself; else the configured mode.
 */
export function jsMode(block: CodeBlock, configured: CheckJsMode): CheckJsMode {
  if (block.attrs.checkJs) return block.attrs.checkJs;
  const head = /^(?:#![^\n]*)?(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/.exec(block.code)?.[0] ?? "";
  if (/\/\/\s*@ts-nocheck\b|\/\*\s*@ts-nocheck\b/.test(head)) return "off";
  if (/\/\/\s*@ts-check\b|\/\*\s*@ts-check\b/.test(head)) return "full";
  return configured;
}

/** Declaration-merge conflicts: a property or name declared differently by two declarations of one interface or scope. */
const MERGE_CONFLICTS: ReadonlySet<number> = new Set([2687, 2717, 2300, 2403]);

/**
 * Module augmentations (`declare module "pino" { interface LogFnFields { … } }`, `declare global`) are global to the
 * one program, so two blocks that each show a different one — alternatives a reader picks from, each compiling on its
 * own — conflict there (TS2687, TS2717). A conflict whose other declaration is in another block is the shared
 * program's doing, not the reader's: it is not reported. A conflict with the library's own declaration still is.
 */
function clashWithAnotherBlock(bp: BlockProgram, block: CodeBlock, file: ts.SourceFile, d: ts.Diagnostic): boolean {
  if (!MERGE_CONFLICTS.has(d.code) || d.start === undefined) return false;
  const node = nodeAt(file, d.start, d.length ?? 0);
  const symbol = node && bp.checker.getSymbolAtLocation(node);
  return (symbol?.declarations ?? []).some((decl) => {
    const other = bp.blockOf(decl.getSourceFile().fileName);
    return other !== undefined && other !== block;
  });
}

function crashFinding(block: CodeBlock, error: string, what: "parse" | "check"): Finding {
  const deep = /call stack/i.test(error);
  return {
    stage: "typecheck",
    ruleId: "typecheck/crash",
    severity: "error",
    message:
      `TypeScript could not ${what} this block (${error})${deep ? ": it is nested too deeply for the compiler" : ""}. ` +
      "The block was not type-checked; the page's other blocks were. " +
      (deep ? "Flatten the example (no reader needs thousands of nested levels)" : "Simplify the example") +
      ", or mark it `skip=\"reason\"`.",
    page: block.page,
    blockId: block.id,
    place: fencePlace(block),
  };
}

/** Diagnostics that belong to no block (compiler options, global types), at the fence of `anchor`. */
export function programFindings(bp: BlockProgram, anchor: CodeBlock): Finding[] {
  const { program } = bp;
  return [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map((d) => globalFinding(bp, anchor, d));
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
  const hint = [relatedHint(bp, d), carriedHint(bp, block, d)].filter(Boolean).join("\n");
  if (hint) finding.hint = hint;
  return finding;
}

/**
 * Names inside the diagnostic's span that come from an earlier block (page context): where each is declared, so a
 * reader whose block fails because of carried code sees the page line it came from.
 */
function carriedHint(bp: BlockProgram, block: CodeBlock, d: ts.Diagnostic): string | undefined {
  const carried = bp.carriedNames(block);
  if (carried.size === 0 || d.start === undefined) return undefined;
  const from = bp.toBlockOffset(block, d.start);
  // From the start of the diagnostic's line: `client.sendd()` names `client` although the span is `sendd`.
  const text = block.code.slice(block.code.lastIndexOf("\n", from - 1) + 1, from + Math.max(d.length ?? 0, 1));
  const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  const lines: string[] = [];
  for (const [name, at] of carried) {
    const re = new RegExp(`(^|[^\\w$])${name.replace(/\$/g, "\\$")}($|[^\\w$])`);
    if (!re.test(text) && !message.includes(`'${name}'`)) continue;
    const p = toPagePlace(at.block, at.offset, at.offset).start;
    lines.push(`\`${name}\` comes from ${at.block.page}:${p.line}:${p.column} (an earlier block of this page).`);
  }
  return lines.length ? lines.join("\n") : undefined;
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
  const carried = block && start !== undefined && bp.toBlockOffset(block, start) < 0 ? bp.carriedFrom(block, start) : undefined;
  if (carried) {
    const p = toPagePlace(carried.block, carried.offset, carried.offset).start;
    return `${carried.block.page}:${p.line}:${p.column}`;
  }
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
