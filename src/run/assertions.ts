// `// => value` assertions: an expression statement followed by `// => <text>` on the same line asserts that
// `util.inspect(value)` equals <text>. We rewrite the statement to pass its value through a recorder the
// harness defines, before esbuild, so the source map still points at the author's line.
import { typescript } from "../util/typescript.js";
import { namesError } from "../grade/throws.js";
import { RECORD_VALUE_GLOBAL } from "./protocol.js";

export interface ValueAssertion {
  /** Block-local 1-based line and column of the expression. */
  line: number;
  column: number;
  /** The text after `// =>`, trimmed. */
  expected: string;
}

export interface InstrumentedSource {
  code: string;
  assertions: ValueAssertion[];
}

const ARROW_COMMENT = /^\/\/\s*=>\s?(.*)$/;

/** Whether a block may hold `// =>` assertions (a text test: valueSites parses only such blocks). */
export function hasValueComment(code: string): boolean {
  return /\/\/\s*=>/.test(code);
}

/** Where a top-level `expr // => text` statement is: the expression's block offsets and 1-based line and column. */
export interface ValueSite extends ValueAssertion {
  start: number;
  end: number;
}

/**
 * The top-level `expr // => text` statements of a block, found with the compiler's parser. Read where the compiler is
 * loaded anyway (src/run/syntax.ts); placeholder substitution keeps every offset, so they hold for the run's copy.
 */
export function valueSites(code: string, ext: string): ValueSite[] {
  if (!hasValueComment(code)) return [];
  const ts = typescript();
  const kind = ext === ".tsx" ? ts.ScriptKind.TSX : ext === ".jsx" ? ts.ScriptKind.JSX : ts.ScriptKind.TS;
  const file = ts.createSourceFile(`block${ext}`, code, ts.ScriptTarget.Latest, true, kind);
  const sites: ValueSite[] = [];
  for (const statement of file.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const comment = (ts.getTrailingCommentRanges(code, statement.end) ?? []).find((c) => c.kind === ts.SyntaxKind.SingleLineCommentTrivia);
    if (!comment) continue;
    const match = ARROW_COMMENT.exec(code.slice(comment.pos, comment.end));
    // `// => TypeError` documents a throw (src/grade/throws.ts), checked as the block's expected throw.
    if (!match || namesError(match[1]!)) continue;
    const expr = statement.expression;
    const start = expr.getStart(file);
    const { line, character } = file.getLineAndCharacterOfPosition(start);
    sites.push({ start, end: expr.end, line: line + 1, column: character + 1, expected: match[1]!.trim() });
  }
  return sites;
}

/** Adds value recording at the given sites; other code is left byte-identical (no compiler needed). */
export function instrumentAt(code: string, key: string, sites: readonly ValueSite[]): InstrumentedSource {
  const assertions: ValueAssertion[] = [];
  const edits: { at: number; text: string }[] = [];
  for (const { start, end, line, column, expected } of sites) {
    assertions.push({ line, column, expected });
    // Same line count before and after: positions of everything else stay exact.
    edits.push({ at: start, text: `globalThis.${RECORD_VALUE_GLOBAL}(${JSON.stringify(key)}, ${line}, (` });
    edits.push({ at: end, text: "))" });
  }
  if (edits.length === 0) return { code, assertions };
  let out = "";
  let last = 0;
  for (const edit of edits.sort((a, b) => a.at - b.at)) {
    out += code.slice(last, edit.at) + edit.text;
    last = edit.at;
  }
  return { code: out + code.slice(last), assertions };
}

/** Adds value recording to top-level `expr // => text` statements; other code is left byte-identical. */
export function instrumentValueAssertions(code: string, key: string, ext: string): InstrumentedSource {
  return instrumentAt(code, key, valueSites(code, ext));
}

/** Comparison form for inspect output: whitespace runs collapsed (the comment is one line, inspect may wrap). */
export function normalizeInspected(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
