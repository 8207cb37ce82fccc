// Origin tracking for real Handlebars output. We do not re-implement Handlebars: we insert invisible
// marker text into the parsed AST (after Handlebars' own whitespace control ran), compile that AST with the
// real compiler, render, and strip the markers while recording which frame produced each character.
// Markers are private-use characters; the caller checks that the stripped output equals a plain render and
// falls back to a coarse map otherwise (e.g. a custom helper that trims or reorders its block's text).
import { LineIndex } from "../extract/position.js";
import type { MissingValue, Segment } from "./engine.js";

const OPEN = "\uE000";
const OPEN_END = "\uE001";
const CLOSE = "\uE002";
export const PROBE_HELPER = "__validateDocsProbe";
export const PROBE_KEY = "__vd";

/** Minimal structural view of the Handlebars AST (the bundled typings are partly wrong). */
export interface HbsPos {
  line: number;
  column: number;
}
export interface HbsNode {
  type: string;
  loc?: { start: HbsPos; end: HbsPos };
  [key: string]: unknown;
}
export interface HbsProgram extends HbsNode {
  body: HbsNode[];
}

export type FrameKind = "content" | "mustache" | "block" | "partial" | "indent";

export interface Frame {
  kind: FrameKind;
  file: string;
  /** File offsets: for content and indent frames, the first character written; else the statement. */
  at: number;
  atEnd: number;
  /** For mustaches: the path text, used in missing-variable messages. */
  name?: string;
  /** For indent frames: the partial frame whose output this indent belongs to. */
  partialFrame?: number;
}

/** Line-start table for converting Handlebars `loc` (1-based line, 0-based column) to offsets. */
/** A Handlebars position (1-based line, 0-based column counting every character, a BOM too) as an offset. */
function offsetOf(lines: LineIndex, pos: HbsPos): number {
  return lines.lineStart(pos.line) + pos.column;
}

/** Where `value` sits inside `original` once Handlebars stripped leading/trailing whitespace. */
function strippedLead(original: string, value: string): number {
  for (let a = 0; a + value.length <= original.length; a++) {
    if (original.startsWith(value, a) && /^\s*$/.test(original.slice(0, a))) return a;
  }
  return 0;
}

function marker(id: number): HbsNode {
  const text = `${OPEN}${id}${OPEN_END}`;
  return { type: "ContentStatement", value: text, original: text };
}
const closeMarker = (): HbsNode => ({ type: "ContentStatement", value: CLOSE, original: CLOSE });

export interface InstrumentOptions {
  file: string;
  source: string;
  frames: Frame[];
  /** Names that are helpers: `{{name}}` calls them, so they are not probed for missing values. */
  isHelper(name: string): boolean;
}

/** Returns an instrumented deep copy of `program`; frames are appended to `opts.frames`. */
export function instrument(program: HbsProgram, opts: InstrumentOptions): HbsProgram {
  const starts = new LineIndex(opts.source, false);
  const frame = (f: Frame): number => opts.frames.push(f) - 1;
  const span = (node: HbsNode): [number, number] =>
    node.loc ? [offsetOf(starts, node.loc.start), offsetOf(starts, node.loc.end)] : [0, 0];

  const visitProgram = (p: HbsProgram): HbsProgram => ({ ...p, body: p.body.flatMap(visit) });
  const visit = (node: HbsNode): HbsNode[] => {
    const [at, atEnd] = span(node);
    switch (node.type) {
      case "ContentStatement": {
        const value = String(node.value ?? "");
        if (!value) return [node];
        const start = at + strippedLead(String(node.original ?? value), value);
        const id = frame({ kind: "content", file: opts.file, at: start, atEnd: start + value.length });
        return [marker(id), node, closeMarker()];
      }
      case "MustacheStatement": {
        const path = node.path as HbsNode;
        const id = frame({ kind: "mustache", file: opts.file, at, atEnd, name: String(path.original ?? "") });
        return [marker(id), probe(node, id), closeMarker()];
      }
      case "BlockStatement": {
        const id = frame({ kind: "block", file: opts.file, at, atEnd });
        const copy: HbsNode = { ...node };
        if (node.program) copy.program = visitProgram(node.program as HbsProgram);
        if (node.inverse) copy.inverse = visitProgram(node.inverse as HbsProgram);
        return [marker(id), copy, closeMarker()];
      }
      case "PartialStatement":
      case "PartialBlockStatement": {
        const id = frame({ kind: "partial", file: opts.file, at, atEnd });
        const copy: HbsNode = { ...node };
        if (node.program) copy.program = visitProgram(node.program as HbsProgram);
        const indent = typeof node.indent === "string" ? node.indent : "";
        if (indent) {
          // Handlebars prefixes every line of the partial's output with `indent`; wrapping it in its own
          // frame lets us attribute those characters to the whitespace before `{{>` in this file.
          const ind = frame({ kind: "indent", file: opts.file, at: at - indent.length, atEnd: at, partialFrame: id });
          copy.indent = `${OPEN}${ind}${OPEN_END}${indent}${CLOSE}`;
        }
        return [marker(id), copy, closeMarker()];
      }
      default:
        return [node];
    }
  };

  // `{{path}}` → `{{probe path __vd=id}}` so a value that resolves to undefined is recorded, not hidden.
  const probe = (node: HbsNode, id: number): HbsNode => {
    const path = node.path as HbsNode;
    const params = (node.params as HbsNode[] | undefined) ?? [];
    const hash = node.hash as { pairs?: unknown[] } | undefined;
    if (path.type !== "PathExpression" || params.length || hash?.pairs?.length || path.data) return node;
    const parts = (path.parts as string[] | undefined) ?? [];
    if (parts.length === 1 && Number(path.depth ?? 0) === 0 && opts.isHelper(parts[0]!)) return node;
    const loc = node.loc;
    return {
      ...node,
      path: { type: "PathExpression", data: false, depth: 0, parts: [PROBE_HELPER], original: PROBE_HELPER, loc },
      params: [path],
      hash: {
        type: "Hash",
        loc,
        pairs: [{ type: "HashPair", key: PROBE_KEY, value: { type: "NumberLiteral", value: id, original: id, loc }, loc }],
      },
    };
  };

  return visitProgram(program);
}

interface Open {
  id: number;
  /** Characters this frame wrote itself (not its children): the content offset of the next one. */
  written: number;
  dropped: boolean;
}

/** Does only marker text (and other indents) follow `from` until frame `partialFrame` closes? */
function onlyMarkersUntilClose(text: string, from: number, stack: Open[], frames: Frame[], partialFrame: number): boolean {
  let depth = stack.length;
  const target = stack.findIndex((o) => o.id === partialFrame);
  let indentDepth = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === OPEN) {
      const end = text.indexOf(OPEN_END, i);
      const id = Number(text.slice(i + 1, end));
      if (frames[id]?.kind === "indent" || indentDepth) indentDepth++;
      depth++;
      i = end;
    } else if (ch === CLOSE) {
      if (indentDepth) indentDepth--;
      depth--;
      if (target >= 0 && depth <= target) return true;
    } else if (!indentDepth) {
      return false;
    }
  }
  return true;
}

/**
 * Removes the markers and returns the plain output with its segments. Handlebars skips the indent of a
 * partial's final empty line; with markers that line is not empty, so those indents are dropped here.
 */
export function strip(text: string, frames: Frame[], missingIds: ReadonlySet<number>): {
  output: string;
  segments: Segment[];
  missing: MissingValue[];
} {
  let output = "";
  const segments: Segment[] = [];
  const missing: MissingValue[] = [];
  const stack: Open[] = [];
  const push = (f: Frame, kind: Segment["kind"], at: number, atEnd: number): void => {
    const last = segments[segments.length - 1];
    const pos = output.length;
    if (last && last.end === pos && last.file === f.file && last.kind === kind &&
        (kind === "template" ? last.at + (last.end - last.start) === at : last.at === at && last.atEnd === atEnd)) {
      last.end = pos + 1;
      if (kind === "template") last.atEnd = at + 1;
    } else {
      segments.push({ start: pos, end: pos + 1, file: f.file, kind, at, atEnd });
    }
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === OPEN) {
      const end = text.indexOf(OPEN_END, i);
      const id = Number(text.slice(i + 1, end));
      const f = frames[id];
      const parentDropped = stack.length > 0 && stack[stack.length - 1]!.dropped;
      const dropped = parentDropped ||
        (f?.kind === "indent" && onlyMarkersUntilClose(text, text.indexOf(CLOSE, end) + 1, stack, frames, f.partialFrame ?? -1));
      stack.push({ id, written: 0, dropped });
      if (f?.kind === "mustache" && missingIds.has(id)) {
        missing.push({ name: f.name ?? "", file: f.file, at: f.at, atEnd: f.atEnd, output: output.length });
      }
      i = end;
      continue;
    }
    if (ch === CLOSE) {
      stack.pop();
      continue;
    }
    const top = stack[stack.length - 1];
    if (top?.dropped) continue;
    const f = top ? frames[top.id] : undefined;
    if (f && (f.kind === "content" || f.kind === "indent")) {
      push(f, "template", f.at + top!.written, f.at + top!.written + 1);
      top!.written++;
    } else if (f) {
      push(f, "data", f.at, f.atEnd);
    }
    output += ch;
  }
  return { output, segments, missing };
}
