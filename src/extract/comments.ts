// Finding `validate-docs:` directive comments in the tree: `<!-- validate-docs: … -->` in Markdown (an `html`
// node) and `{/* validate-docs: … */}` in MDX (an `mdxFlowExpression` / `mdxTextExpression` node).

import type { Node } from "unist";
import { combineComments, emptyAttrs, parseDirectiveText, type Issue, type ParsedAttrs } from "./attributes.js";

const HTML_COMMENT = /<!--([\s\S]*?)-->/g;
const JS_COMMENT = /\/\*([\s\S]*?)\*\//g;
const PREFIX = /^\s*validate-docs:/;
/** Near misses of the prefix, so `<!-- validate-doc: skip -->` is reported instead of ignored. */
// Either a variant spelling followed by a colon, or the exact name with the colon forgotten.
const NEAR_PREFIX = /^\s*(?:(?:validate[-_ ]?docs?|valdiate-docs|validate-dcos)\s*:|validate-docs(?=\s+[a-z]))/i;

/** Setup code written inside the comment itself: `<!-- validate-docs: setup ```ts … ``` -->`, hidden from readers. */
export interface CommentFence {
  /** The fence language and the rest of its info string. */
  lang: string;
  meta: string;
  /** What the comment says besides the fence (`setup`, and any other attribute for that code). */
  parsed: ParsedAttrs;
  code: string;
  /** 0-based lines of the opening and closing fence markers, counted from the comment node's first line. */
  openingLine: number;
  closingLine: number;
  closed: boolean;
}

export interface DirectiveComment {
  node: Node;
  /** Directives that apply to the code block after the comment (setup fences excluded). */
  parsed: ParsedAttrs;
  fences: CommentFence[];
  /** Problems with the comment itself (e.g. a misspelled prefix), besides those of its directives. */
  issues: Issue[];
}

function nodeValue(node: Node): string | undefined {
  const v = (node as { value?: unknown }).value;
  return typeof v === "string" ? v : undefined;
}

function isExpression(node: Node): boolean {
  return node.type === "mdxFlowExpression" || node.type === "mdxTextExpression";
}

/** The comment bodies of a node that can carry directives (empty for other nodes), with their 0-based first line. */
function commentBodies(node: Node): { body: string; line: number }[] {
  const value = nodeValue(node);
  if (value === undefined) return [];
  const pattern = node.type === "html" ? HTML_COMMENT : isExpression(node) ? JS_COMMENT : undefined;
  if (!pattern) return [];
  const bodies: { body: string; line: number }[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(value); m; m = pattern.exec(value)) bodies.push({ body: m[1], line: value.slice(0, m.index).split("\n").length - 1 });
  return bodies;
}

const FENCE_OPEN = /(`{3,}|~{3,})[ \t]*([^\s`]*)([^\n]*)\n/;

/** `setup ```ts … ```` in a comment body: the fence, and the directive text before it. */
function setupFence(text: string, line: number): CommentFence | undefined {
  if (!/^\s*setup\b/.test(text)) return undefined;
  const open = FENCE_OPEN.exec(text);
  if (!open) return undefined;
  const before = text.slice(0, open.index);
  const marker = open[1]!;
  const bodyStart = open.index + open[0].length;
  const lines = text.slice(bodyStart).split("\n");
  const close = lines.findIndex((l) => new RegExp(`^[ \\t]*${marker[0] === "`" ? "`" : "~"}{${marker.length},}[ \\t]*\r?$`).test(l));
  const codeLines = (close === -1 ? lines : lines.slice(0, close)).map((l) => l.replace(/\r$/, ""));
  if (close === -1) while (codeLines.length > 0 && codeLines[codeLines.length - 1]!.trim() === "") codeLines.pop();
  const openingLine = line + text.slice(0, open.index).split("\n").length - 1;
  return {
    lang: open[2]!.toLowerCase(),
    meta: open[3]!.trim(),
    parsed: parseDirectiveText(before),
    code: codeLines.join("\n"),
    openingLine,
    closingLine: openingLine + 1 + (close === -1 ? codeLines.length : close),
    closed: close !== -1,
  };
}

/** True when the node is nothing but comments (so a directive comment may sit above other comments). */
export function isCommentOnly(node: Node): boolean {
  const value = nodeValue(node);
  if (value === undefined) return false;
  if (node.type === "html") return value.replace(HTML_COMMENT, "").trim() === "";
  if (isExpression(node)) return value.replace(JS_COMMENT, "").trim() === "";
  return false;
}

/** Parses the validate-docs directives of a node, or undefined when it has none. */
export function readDirectives(node: Node): DirectiveComment | undefined {
  const parts: ParsedAttrs[] = [];
  const issues: Issue[] = [];
  const fences: CommentFence[] = [];
  for (const { body, line } of commentBodies(node)) {
    if (PREFIX.test(body)) {
      const text = body.replace(PREFIX, "");
      const fence = setupFence(text, line);
      if (fence) fences.push(fence);
      else parts.push(parseDirectiveText(text));
      continue;
    }
    const near = NEAR_PREFIX.exec(body);
    if (near) {
      issues.push({
        ruleId: "extract/unknown-directive",
        severity: "error",
        message: `This comment looks like a directive but starts with \`${near[0].trim()}\`, so validate-docs ignores it.`,
        hint: "Directives start with exactly `validate-docs:` (lower case, one hyphen, a colon).",
      });
    }
  }
  if (parts.length === 0 && issues.length === 0 && fences.length === 0) return undefined;
  const parsed = combineComments(parts) ?? emptyAttrs();
  return { node, parsed, fences, issues };
}
