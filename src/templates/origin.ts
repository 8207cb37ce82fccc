// Origin maps: rendered page offset → template (or partial) file position, or "from variant data".
// The map itself is plain data (src/types.ts) carried on the rendered Page into the pipeline.
import { LineIndex, lineColumnAt } from "../extract/position.js";
import type { OriginMap, Segment, Span } from "../types.js";

export type { OriginMap } from "../types.js";

export interface Origin {
  file: string;
  place: Span;
  /** The text came from variant data (or a helper); `place` is the mustache that inserted it. */
  fromData: boolean;
}

export function makeOriginMap(segments: Segment[], sources: { file: string; source: string }[], approximate = false): OriginMap {
  const texts: Record<string, string> = {};
  for (const s of sources) texts[s.file] ??= s.source;
  return { segments, sources: texts, approximate };
}

function segmentAt(segments: Segment[], offset: number): Segment | undefined {
  let lo = 0;
  let hi = segments.length - 1;
  let best: Segment | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid]!;
    if (s.start <= offset) {
      best = s;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  // A position past the last character (a finding at end of file) belongs to the segment before it.
  return best ?? segments[0];
}

function fileOffset(s: Segment, offset: number, end: boolean): number {
  if (s.kind === "data") return end ? s.atEnd : s.at;
  return Math.min(s.at + Math.max(0, offset - s.start), s.atEnd);
}

/** The template position of a rendered page span. */
export function originOf(map: OriginMap, place: Span): Origin | undefined {
  const s = segmentAt(map.segments, place.start.offset);
  if (!s) return undefined;
  const text = map.sources[s.file] ?? "";
  const start = fileOffset(s, place.start.offset, false);
  const endSeg = segmentAt(map.segments, Math.max(place.start.offset, place.end.offset - 1));
  let end: number;
  if (s.kind === "data") end = s.atEnd;
  else if (endSeg === s) end = Math.min(s.atEnd, s.at + (place.end.offset - s.start));
  else end = s.atEnd;
  return { file: s.file, place: { start: lineColumnAt(text, start), end: lineColumnAt(text, Math.max(start, end)) }, fromData: s.kind === "data" };
}

/**
 * Fallback for engines without `renderMapped`: each output line that equals a line of the template or a
 * partial (in order, preferring the next one after the previous match) maps to it; other lines are data.
 */
export function approximateSegments(output: string, sources: { file: string; source: string }[]): Segment[] {
  const index = new Map<string, { file: string; at: number }[]>();
  for (const { file, source } of sources) {
    const lines = new LineIndex(source, false);
    for (let n = 1; n <= lines.lineCount; n++) {
      const line = lines.lineText(n);
      if (!line.trim()) continue;
      const list = index.get(line) ?? [];
      list.push({ file, at: lines.lineStart(n) });
      index.set(line, list);
    }
  }
  const main = sources[0];
  const segments: Segment[] = [];
  const out = new LineIndex(output, false);
  let last = -1;
  for (let n = 1; n <= out.lineCount; n++) {
    const line = out.lineText(n);
    const start = out.lineStart(n);
    // The segment runs to the next line's start: its line ending belongs to it.
    const end = n < out.lineCount ? out.lineStart(n + 1) : output.length;
    const candidates = index.get(line) ?? [];
    const hit = candidates.find((c) => c.file === main?.file && c.at > last) ?? candidates[0];
    if (hit) {
      segments.push({ start, end, file: hit.file, kind: "template", at: hit.at, atEnd: hit.at + (end - start) });
      if (hit.file === main?.file) last = hit.at;
    } else if (main) {
      segments.push({ start, end, file: main.file, kind: "data", at: Math.max(0, last), atEnd: Math.max(0, last) });
    }
  }
  return segments;
}
