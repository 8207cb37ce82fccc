// --update: rewrite the bodies of `output` fences with what the blocks printed, and nothing else.
import { applyEdits } from "../edit.js";
import type { CodeBlock, Fix, Page } from "../types.js";
import { normalizeOutput } from "./findings.js";

/** One edit per `output` fence whose body differs from the captured stdout (page offsets). */
export function outputEdits(page: Page, blocks: readonly CodeBlock[], outputs: ReadonlyMap<string, string>): Fix[] {
  const edits: Fix[] = [];
  const eol = page.source.includes("\r\n") ? "\r\n" : "\n";
  for (const block of blocks) {
    const expected = block.expectedOutput;
    const captured = outputs.get(block.id);
    if (!expected || captured === undefined) continue;
    const actual = normalizeOutput(captured);
    if (normalizeOutput(expected.text) === actual) continue;
    const { start, end } = expected.bodySpan;
    const current = page.source.slice(start.offset, end.offset);
    // Lines take the indentation of the output fence (list items, blockquotes); a span that starts after
    // that indentation already has it on its first line.
    const fenceLineStart = page.source.lastIndexOf("\n", expected.span.start.offset - 1) + 1;
    const indent = /^[\t >]*/.exec(page.source.slice(fenceLineStart))![0];
    const atLineStart = start.offset === 0 || page.source[start.offset - 1] === "\n";
    const lines = actual === "" ? [] : actual.split("\n");
    let text = lines.map((line, i) => `${i === 0 && !atLineStart ? "" : indent}${line}`.trimEnd()).join(eol);
    // Same line-ending shape as before: a span that ended at a line break (or before the closing fence line) keeps one.
    const endsAtBreak = /\n$/.test(current) || (current === "" && page.source[end.offset - 1] === "\n");
    if (lines.length > 0 && endsAtBreak) text += eol;
    edits.push({ range: [start.offset, end.offset], text });
  }
  return edits;
}

/** The page text with every stale `output` fence body replaced, or null when nothing changes. */
export function updateOutputs(page: Page, blocks: readonly CodeBlock[], outputs: ReadonlyMap<string, string>): string | null {
  const edits = outputEdits(page, blocks, outputs);
  if (edits.length === 0) return null;
  const { text } = applyEdits(page.source, edits);
  return text === page.source ? null : text;
}
