// Parsing a block on its own (no program): does it parse, and where is its first syntax error. Cheap (a few
// hundred microseconds per block), so every block is parsed once before the stages start, to grade it.
import ts from "../typescript.cjs";

export function scriptKindOf(ext: string): ts.ScriptKind {
  if (ext === ".tsx") return ts.ScriptKind.TSX;
  if (ext === ".jsx") return ts.ScriptKind.JSX;
  if (ext === ".js" || ext === ".mjs" || ext === ".cjs") return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

export interface Parsed {
  file: ts.SourceFile;
  /** Syntax errors only (what the parser reports), in text order. */
  errors: readonly ts.DiagnosticWithLocation[];
}

export function parseBlock(code: string, ext: string): Parsed {
  const file = ts.createSourceFile(`block${ext}`, code, ts.ScriptTarget.Latest, true, scriptKindOf(ext));
  // `parseDiagnostics` is what the parser found; the public getSyntacticDiagnostics needs a program and adds
  // JS-only grammar checks (types in a .js file), which are not "does not parse".
  const errors = (file as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  return { file, errors };
}

export function parses(code: string, ext: string): boolean {
  return parseBlock(code, ext).errors.length === 0;
}
