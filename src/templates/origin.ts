// Origin maps: rendered page offset → template (or partial) file position, or "from variant data".
import type { Point, Span } from "../types.js";
import type { Segment } from "./engine.js";
import { lineStarts } from "./instrument.js";

export interface OriginMap {
  template: string;
  variant: string;
  segments: Segment[];
  /** Line-start tables of every file a segment points into. */
  lines: Record<string, number[]>;
  /** True when the engine could not give exact positions and lines were matched by text instead. */
  approximate: boolean;
}

export interface Origin {
  file: string;
  place: Span;
  /** The text came from variant data (or a helper); `place` is the mustache that inserted it. */
  fromData: boolean;
}

export function makeOriginMap(template: string, variant: string, segments: Segment[],
  sources: { file: string; source: string }[], approximate = false): OriginMap {
  const lines: Record<string, number[]> = {};
  for (const s of sources) lines[s.file] ??= lineStarts(s.source);
  return { template, variant, segments, lines, approximate };
}

export function pointIn(starts: number[] | undefined, offset: number): Point {
  const table = starts ?? [0];
  let lo = 0;
  let hi = table.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (table[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - table[lo]! + 1, offset };
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
  const lines = map.lines[s.file];
  const start = fileOffset(s, place.start.offset, false);
  const endSeg = segmentAt(map.segments, Math.max(place.start.offset, place.end.offset - 1));
  let end: number;
  if (s.kind === "data") end = s.atEnd;
  else if (endSeg === s) end = Math.min(s.atEnd, s.at + (place.end.offset - s.start));
  else end = s.atEnd;
  return { file: s.file, place: { start: pointIn(lines, start), end: pointIn(lines, Math.max(start, end)) }, fromData: s.kind === "data" };
}

/**
 * Fallback for engines without `renderMapped`: each output line that equals a line of the template or a
 * partial (in order, preferring the next one after the previous match) maps to it; other lines are data.
 */
export function approximateSegments(output: string, sources: { file: string; source: string }[]): Segment[] {
  const index = new Map<string, { file: string; at: number }[]>();
  for (const { file, source } of sources) {
    let at = 0;
    for (const line of source.split("\n")) {
      if (line.trim()) {
        const list = index.get(line) ?? [];
        list.push({ file, at });
        index.set(line, list);
      }
      at += line.length + 1;
    }
  }
  const main = sources[0];
  const segments: Segment[] = [];
  let pos = 0;
  let last = -1;
  for (const line of output.split("\n")) {
    const candidates = index.get(line) ?? [];
    const hit = candidates.find((c) => c.file === main?.file && c.at > last) ?? candidates[0];
    if (hit) {
      segments.push({ start: pos, end: pos + line.length + 1, file: hit.file, kind: "template", at: hit.at, atEnd: hit.at + line.length + 1 });
      if (hit.file === main?.file) last = hit.at;
    } else if (main) {
      segments.push({ start: pos, end: pos + line.length + 1, file: main.file, kind: "data", at: Math.max(0, last), atEnd: Math.max(0, last) });
    }
    pos += line.length + 1;
  }
  return segments;
}
