// Stack frames from the child, mapped to page coordinates and readable text.
import fs from "node:fs";
import path from "node:path";
import { fencePlace, toPagePoint } from "../extract/position.js";
import type { CodeBlock, Span } from "../types.js";
import type { Frame } from "./protocol.js";
import { keyOfFile } from "./transpile.js";

/** The blocks of one page, by transpile key. */
export type BlockIndex = Map<string, CodeBlock>;

export function blockOfFrame(frame: Frame, blocks: BlockIndex): CodeBlock | undefined {
  const key = keyOfFile(frame.file);
  return key === undefined ? undefined : blocks.get(key);
}

/** The innermost frame inside one of the page's blocks. */
export function firstBlockFrame(frames: readonly Frame[], blocks: BlockIndex): { frame: Frame; block: CodeBlock } | undefined {
  for (const frame of frames) {
    const block = blockOfFrame(frame, blocks);
    if (block) return { frame, block };
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

/** Where a finding goes: the innermost frame in a block of the page, else the fallback block's fence. */
export function placeOf(frames: readonly Frame[], blocks: BlockIndex, fallback: CodeBlock): { block: CodeBlock; place: Span; inCode: boolean } {
  const hit = firstBlockFrame(frames, blocks);
  if (hit) return { block: hit.block, place: lineSpan(hit.block, hit.frame.line, hit.frame.column), inCode: true };
  return { block: fallback, place: fencePlace(fallback), inCode: false };
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
      const block = blockOfFrame(frame, blocks);
      const where = block
        ? (() => {
            const p = toPagePoint(block, frame.line, frame.column);
            return `${block.page}:${p.line}:${p.column}`;
          })()
        : `${displayFile(frame.file, root)}:${frame.line}:${frame.column}`;
      return `    at ${frame.fn && frame.fn !== "<anonymous>" ? `${frame.fn} (${where})` : where}`;
    })
    .join("\n");
}

const packageNames = new Map<string, string | undefined>();

/** The package a file belongs to: the nearest package.json with a name (works through workspace links). */
export function packageOfFile(file: string): string | undefined {
  if (!path.isAbsolute(file)) return file.startsWith("node:") ? "node" : undefined;
  const nm = file.lastIndexOf(`${path.sep}node_modules${path.sep}`);
  if (nm !== -1) {
    const parts = file.slice(nm + 14).split(path.sep);
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (packageNames.has(dir)) return packageNames.get(dir);
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      let name: string | undefined;
      try {
        const parsed = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: unknown };
        name = typeof parsed.name === "string" ? parsed.name : undefined;
      } catch {
        name = undefined;
      }
      packageNames.set(dir, name);
      return name;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}
