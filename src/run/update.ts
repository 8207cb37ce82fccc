// --update: the edit that rewrites an `output` fence body with what its block printed, and nothing else.
// The run stage attaches it to the `run/output-mismatch` finding as its `fix`; src/rewrite.ts applies it.
import type { CodeBlock, Fix } from "../types.js";

/** Line endings and trailing whitespace do not count; trailing blank lines neither. */
export function normalizeOutput(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/\n+$/, "");
}

/** The page edit replacing the block's expected-output body with `captured` (page offsets). */
export function outputEdit(source: string, block: CodeBlock, captured: string): Fix {
  const expected = block.expectedOutput!;
  const eol = source.includes("\r\n") ? "\r\n" : "\n";
  const actual = normalizeOutput(captured);
  const { start, end } = expected.bodySpan;
  const current = source.slice(start.offset, end.offset);
  // Lines take the indentation of the output fence (list items, blockquotes); a span that starts after
  // that indentation already has it on its first line.
  const fenceLineStart = source.lastIndexOf("\n", expected.span.start.offset - 1) + 1;
  const indent = /^[\t >]*/.exec(source.slice(fenceLineStart))![0];
  const atLineStart = start.offset === 0 || source[start.offset - 1] === "\n";
  const lines = actual === "" ? [] : actual.split("\n");
  let text = lines.map((line, i) => `${i === 0 && !atLineStart ? "" : indent}${line}`.trimEnd()).join(eol);
  // Same line-ending shape as before: a span that ended at a line break (or before the closing fence line) keeps one.
  const endsAtBreak = /\n$/.test(current) || (current === "" && source[end.offset - 1] === "\n");
  if (lines.length > 0 && endsAtBreak) text += eol;
  return { range: [start.offset, end.offset], text };
}
