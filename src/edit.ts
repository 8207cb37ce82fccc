import type { Fix } from "./types.js";

/**
 * Applies non-overlapping edits (page offsets) to a source string, touching only those spans.
 * Overlapping edits after the first are dropped and returned so the caller can report them.
 */
export function applyEdits(source: string, edits: readonly Fix[]): { text: string; applied: Fix[]; dropped: Fix[] } {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  const applied: Fix[] = [];
  const dropped: Fix[] = [];
  let out = "";
  let last = 0;
  for (const edit of sorted) {
    const [from, to] = edit.range;
    if (from < last || to < from || to > source.length) {
      dropped.push(edit);
      continue;
    }
    out += source.slice(last, from) + edit.text;
    last = to;
    applied.push(edit);
  }
  out += source.slice(last);
  return { text: out, applied, dropped };
}
