// THE one place where block-local positions become page positions. Every stage reports through
// toPagePoint / toPagePlace / fencePlace so that a fix to the mapping fixes every finding at once.
//
// Conventions (see src/types.ts): lines and columns are 1-based, offsets 0-based UTF-16 code units.
// Page offsets index `page.source` exactly as read, BOM included, so `source.slice(offset)` is always
// right. Columns on line 1 do NOT count a leading BOM: editors hide it, and remark reports columns
// without it, so a fence at the very start of a BOM page is at line 1, column 1, offset 1.
//
// LineShift.shift can be negative in one case: micromark expands a tab that is only partly consumed
// by a container (e.g. a tab under a `- ` list item) into virtual spaces that have no page character.
// Then code columns inside those virtual spaces clamp to the tab itself, and everything from the
// first real character on maps exactly. The invariant `offset - shift === page line start` holds always.

import type { CodeBlock, LineShift, Point, Span } from "../types.js";

const BOM = "\uFEFF";
const LINE_BREAK = /\r\n|\r|\n/g;

/** Line starts of a text, computed once; line endings are \n, \r\n and a lone \r, as in CommonMark. */
export class LineIndex {
  /** Offset of the first character of each line (index 0 = line 1). */
  readonly starts: number[];
  /** Offset just past the last character of each line, before its line ending. */
  readonly ends: number[];
  readonly bom: boolean;

  constructor(readonly text: string, honorBom = true) {
    this.bom = honorBom && text.startsWith(BOM);
    this.starts = [0];
    this.ends = [];
    LINE_BREAK.lastIndex = 0;
    for (let m = LINE_BREAK.exec(text); m; m = LINE_BREAK.exec(text)) {
      this.ends.push(m.index);
      this.starts.push(m.index + m[0].length);
    }
    this.ends.push(text.length);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The text of 1-based line `line` without its line ending ("" past the end). */
  lineText(line: number): string {
    if (line < 1 || line > this.lineCount) return "";
    return this.text.slice(this.starts[line - 1], this.ends[line - 1]);
  }

  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line, 1), this.lineCount) - 1];
  }

  lineEnd(line: number): number {
    return this.ends[Math.min(Math.max(line, 1), this.lineCount) - 1];
  }

  /** Point of a 0-based offset (clamped into the text). */
  pointAt(offset: number): Point {
    const off = clampInt(offset, 0, this.text.length);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    // An offset inside a \r\n pair belongs to the end of its line.
    const line = lo + 1;
    let column = off - this.starts[lo] + 1;
    if (line === 1 && this.bom) column = Math.max(1, column - 1);
    return { line, column, offset: off };
  }

  /** Point of a 1-based line and column; the column is clamped to the line (end of line allowed). */
  pointOf(line: number, column: number): Point {
    const l = clampInt(line, 1, this.lineCount);
    const start = this.starts[l - 1] + (l === 1 && this.bom ? 1 : 0);
    const offset = clampInt(start + column - 1, start, this.ends[l - 1]);
    return { line: l, column: offset - start + 1, offset };
  }
}

let cached: LineIndex | undefined;

/** Line and column of a 0-based offset in `text` (a BOM at the start is not counted in line 1's columns). */
export function lineColumnAt(text: string, offset: number): Point {
  // One-entry cache: callers map many offsets of the same page in a row.
  if (cached?.text !== text) cached = new LineIndex(text);
  return cached.pointAt(offset);
}

/** Code lines of a block, cached per block object. */
const codeLinesCache = new WeakMap<CodeBlock, { code: string; lines: string[] }>();
function codeLines(block: CodeBlock): string[] {
  let hit = codeLinesCache.get(block);
  if (!hit || hit.code !== block.code) {
    hit = { code: block.code, lines: block.code.split(/\r\n|\r|\n/) };
    codeLinesCache.set(block, hit);
  }
  return hit.lines;
}

/**
 * Block-local 1-based line/column (as TypeScript or a stack trace reports them for `block.code`) → page Point.
 * Out-of-range input clamps to the nearest position of the block; never throws.
 */
export function toPagePoint(block: CodeBlock, line: number, column: number): Point {
  const map = block.lineMap;
  if (map.length === 0) return { ...block.fence.start };
  const lines = codeLines(block);
  let l = Number.isFinite(line) ? Math.trunc(line) : 1;
  let c = Number.isFinite(column) ? Math.trunc(column) : 1;
  if (l < 1) {
    l = 1;
    c = 1;
  } else if (l > map.length) {
    l = map.length;
    c = (lines[l - 1] ?? "").length + 1;
  }
  const text = lines[l - 1] ?? "";
  c = clampInt(c, 1, text.length + 1);
  const entry: LineShift = map[l - 1];
  const lineStart = entry.offset - entry.shift;
  const pageColumn = Math.max(1, entry.shift + c);
  return { line: entry.line, column: pageColumn, offset: lineStart + pageColumn - 1 };
}

/** Block-local 0-based offsets into `block.code` → page Span (clamped; end before start is treated as empty). */
export function toPagePlace(block: CodeBlock, startOffset: number, endOffset: number): Span {
  const len = block.code.length;
  const s = clampInt(Number.isFinite(startOffset) ? startOffset : 0, 0, len);
  const e = clampInt(Number.isFinite(endOffset) ? endOffset : s, s, len);
  const index = codeIndex(block);
  const a = index.pointAt(s);
  const b = index.pointAt(e);
  return { start: toPagePoint(block, a.line, a.column), end: toPagePoint(block, b.line, b.column) };
}

const codeIndexCache = new WeakMap<CodeBlock, LineIndex>();
function codeIndex(block: CodeBlock): LineIndex {
  let index = codeIndexCache.get(block);
  if (!index || index.text !== block.code) {
    // Code is never treated as having a BOM: a \uFEFF in code is a real character.
    index = new LineIndex(block.code, false);
    codeIndexCache.set(block, index);
  }
  return index;
}

/**
 * The opening fence line (from the fence marker to the end of its line): where findings about the block
 * as a whole, or about code outside the user's text (a prelude, a dependency frame), are attached.
 */
export function fencePlace(block: CodeBlock): Span {
  return { start: { ...block.opening.start }, end: { ...block.opening.end } };
}

/**
 * Builds the line map of a fenced block: code line i sits on page line `firstLine + i`.
 * shift = page line length − code line length when the page line ends with the code line (list indents,
 * `> ` quotes, nested containers all reduce to that); otherwise a partly consumed tab produced virtual
 * spaces, and we anchor on the longest code suffix that is on the page (see the header comment).
 */
export function buildLineMap(index: LineIndex, firstLine: number, code: string): LineShift[] {
  const lines = code.split("\n");
  const out: LineShift[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = firstLine + i;
    if (line > index.lineCount) {
      // Cannot happen for remark output; keep the map total anyway (points clamp to the end of the page).
      const end = index.text.length;
      out.push({ line: index.lineCount, shift: 0, offset: end });
      continue;
    }
    const pageText = index.lineText(line);
    const start = index.lineStart(line);
    const shift = alignShift(pageText, lines[i]);
    out.push({ line, shift, offset: start + shift });
  }
  return out;
}

function alignShift(pageText: string, codeLine: string): number {
  if (pageText.endsWith(codeLine)) return pageText.length - codeLine.length;
  // Only leading whitespace can differ (tab expansion), so only try cutting that.
  const leading = codeLine.length - codeLine.trimStart().length;
  for (let k = 1; k <= leading; k++) {
    const rest = codeLine.slice(k);
    if (pageText.endsWith(rest)) return pageText.length - rest.length - k;
  }
  return 0;
}

function clampInt(n: number, lo: number, hi: number): number {
  return Math.min(Math.max(Math.trunc(n), lo), hi);
}
