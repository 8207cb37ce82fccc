// Finding `validate-docs:` directive comments in the tree: `<!-- validate-docs: … -->` in Markdown (an `html`
// node) and `{/* validate-docs: … */}` in MDX (an `mdxFlowExpression` / `mdxTextExpression` node).

import type { Node } from "unist";
import { combineComments, parseDirectiveText, type Issue, type ParsedAttrs } from "./attributes.js";

const HTML_COMMENT = /<!--([\s\S]*?)-->/g;
const JS_COMMENT = /\/\*([\s\S]*?)\*\//g;
const PREFIX = /^\s*validate-docs:/;
/** Near misses of the prefix, so `<!-- validate-doc: skip -->` is reported instead of ignored. */
// Either a variant spelling followed by a colon, or the exact name with the colon forgotten.
const NEAR_PREFIX = /^\s*(?:(?:validate[-_ ]?docs?|valdiate-docs|validate-dcos)\s*:|validate-docs(?=\s+[a-z]))/i;

export interface DirectiveComment {
  node: Node;
  parsed: ParsedAttrs;
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

/** The comment bodies of a node that can carry directives (empty for other nodes). */
function commentBodies(node: Node): string[] {
  const value = nodeValue(node);
  if (value === undefined) return [];
  const pattern = node.type === "html" ? HTML_COMMENT : isExpression(node) ? JS_COMMENT : undefined;
  if (!pattern) return [];
  const bodies: string[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(value); m; m = pattern.exec(value)) bodies.push(m[1]);
  return bodies;
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
  for (const body of commentBodies(node)) {
    if (PREFIX.test(body)) {
      parts.push(parseDirectiveText(body.replace(PREFIX, "")));
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
  if (parts.length === 0 && issues.length === 0) return undefined;
  const parsed = combineComments(parts) ?? { disable: [], extra: {}, issues: [], hasBlockDirective: false };
  return { node, parsed, issues };
}
