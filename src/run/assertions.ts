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

/** Adds value recording to top-level `expr // => text` statements; other code is left byte-identical. */
export function instrumentValueAssertions(code: string, key: string, ext: string): InstrumentedSource {
  if (!/\/\/\s*=>/.test(code)) return { code, assertions: [] };
  const ts = typescript();
  const kind = ext === ".tsx" ? ts.ScriptKind.TSX : ext === ".jsx" ? ts.ScriptKind.JSX : ts.ScriptKind.TS;
  const file = ts.createSourceFile(`block${ext}`, code, ts.ScriptTarget.Latest, true, kind);
  const assertions: ValueAssertion[] = [];
  const edits: { at: number; text: string }[] = [];
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
    assertions.push({ line: line + 1, column: character + 1, expected: match[1]!.trim() });
    // Same line count before and after: positions of everything else stay exact.
    edits.push({ at: start, text: `globalThis.${RECORD_VALUE_GLOBAL}(${JSON.stringify(key)}, ${line + 1}, (` });
    edits.push({ at: expr.end, text: "))" });
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

/** Comparison form for inspect output: whitespace runs collapsed (the comment is one line, inspect may wrap). */
export function normalizeInspected(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
