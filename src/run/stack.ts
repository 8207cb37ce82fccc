// Stack frames from the child, mapped to page coordinates and readable text.
import path from "node:path";
import { fencePlace, toPagePoint } from "../extract/position.js";
import type { CodeBlock, Span } from "../types.js";
import type { Frame } from "./protocol.js";
import { keyOfFile } from "./transpile.js";

/** A block as it runs: its module may hold a one-line page-context prelude (src/run/transpile.ts). */
export interface RunBlock {
  block: CodeBlock;
  /** 1-based module line of the prelude; lines after it are the block's lines + 1. */
  preludeLine?: number;
}

/** The blocks of one page process, by transpile key. */
export type BlockIndex = Map<string, RunBlock>;

/** Block-local line of a module line, or undefined on the prelude line (carried code, not the reader's). */
export function blockLine(entry: RunBlock, line: number): number | undefined {
  const p = entry.preludeLine;
  if (p === undefined || line < p) return line;
  return line === p ? undefined : line - 1;
}

interface BlockFrame {
  frame: Frame;
  block: CodeBlock;
  /** Block-local line. */
  line: number;
}

function blockFrame(frame: Frame, blocks: BlockIndex): BlockFrame | undefined {
  const key = keyOfFile(frame.file);
  const entry = key === undefined ? undefined : blocks.get(key);
  if (!entry) return undefined;
  const line = blockLine(entry, frame.line);
  return line === undefined ? undefined : { frame, block: entry.block, line };
}

export function blockOfFrame(frame: Frame, blocks: BlockIndex): CodeBlock | undefined {
  return blockFrame(frame, blocks)?.block;
}

/** The innermost frame inside one of the page's blocks (prelude lines excluded). */
export function firstBlockFrame(frames: readonly Frame[], blocks: BlockIndex): BlockFrame | undefined {
  for (const frame of frames) {
    const hit = blockFrame(frame, blocks);
    if (hit) return hit;
  }
  return undefined;
}

/** The span of one block-local line, from `column` to the end of the line. */
export function lineSpan(block: CodeBlock, line: number, column: number): Span {
  const lines = block.code.split("\n");
  const clampedLine = Math.min(Math.max(line, 1), Math.max(lines.length, 1));
  const text = (lines[clampedLine - 1] ?? "").replace(/\r$/, "");
  const col = Math.min(Math.max(column, 1), text.length + 1);
  return { start: toPagePoint(block, clampedLine, col), end: toPagePoint(block, clampedLine, text.length + 1) };
}

/**
 * Where a finding goes. The innermost frame in the block that was running (`current`): a block that calls a
 * function carried from an earlier block gets the finding at its own calling line, and `from` names the page line
 * inside the earlier block where it was thrown. Without a frame in `current` (a timer an earlier block set), the
 * innermost frame in any block of the page; else `current`'s fence.
 */
export function placeOf(
  frames: readonly Frame[],
  blocks: BlockIndex,
  current: CodeBlock,
): { block: CodeBlock; place: Span; inCode: boolean; from?: string } {
  const hits = frames.map((f) => blockFrame(f, blocks)).filter((h): h is BlockFrame => h !== undefined);
  const own = hits.findIndex((h) => h.block.id === current.id);
  if (own !== -1) {
    const hit = hits[own]!;
    const inner = own > 0 ? hits[0] : undefined;
    const from = inner ? (() => {
      const p = toPagePoint(inner.block, inner.line, inner.frame.column);
      return `${inner.block.page}:${p.line}:${p.column}`;
    })() : undefined;
    return { block: current, place: lineSpan(current, hit.line, hit.frame.column), inCode: true, ...(from ? { from } : {}) };
  }
  const hit = hits[0];
  if (hit) return { block: hit.block, place: lineSpan(hit.block, hit.line, hit.frame.column), inCode: true };
  return { block: current, place: fencePlace(current), inCode: false };
}

function displayFile(file: string, root: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(root, file);
  return rel.startsWith("..") ? file : rel.split(path.sep).join("/");
}

/** The stack as the reader should see it: block frames as `page:line:col`, node internals dropped. */
export function formatFrames(frames: readonly Frame[], blocks: BlockIndex, root: string): string {
  return frames
    .map((frame) => {
      const hit = blockFrame(frame, blocks);
      const key = keyOfFile(frame.file);
      const entry = key === undefined ? undefined : blocks.get(key);
      const where = hit
        ? (() => {
            const p = toPagePoint(hit.block, hit.line, frame.column);
            return `${hit.block.page}:${p.line}:${p.column}`;
          })()
        : entry
          ? `${entry.block.page}:${entry.block.fence.start.line} (page context carried into this block)`
          : `${displayFile(frame.file, root)}:${frame.line}:${frame.column}`;
      return `    at ${frame.fn && frame.fn !== "<anonymous>" ? `${frame.fn} (${where})` : where}`;
    })
    .join("\n");
}

