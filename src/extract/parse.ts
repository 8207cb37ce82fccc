// Markdown/MDX → mdast. One processor per kind, built once per process: building a unified pipeline
// per page costs more than parsing a small page.

import type { Root } from "mdast";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkMdx from "remark-mdx";
import remarkParse from "remark-parse";
import { unified } from "unified";

const markdown = unified().use(remarkParse).use(remarkFrontmatter, ["yaml", "toml"]).use(remarkGfm).freeze();
const mdx = unified().use(remarkParse).use(remarkFrontmatter, ["yaml", "toml"]).use(remarkGfm).use(remarkMdx).freeze();

export interface ParseFailure {
  message: string;
  /** 1-based line/column (remark's, i.e. not counting a BOM) when the parser said where. */
  line?: number;
  column?: number;
}

export interface ParseOutcome {
  tree?: Root;
  /** Set when the MDX parser failed; `tree` is then the plain-Markdown parse, so blocks are not lost. */
  mdxFailure?: ParseFailure;
  /** Set when even the Markdown parse failed (not expected; micromark accepts any text). */
  failure?: ParseFailure;
}

export function parse(source: string, asMdx: boolean): ParseOutcome {
  let mdxFailure: ParseFailure | undefined;
  if (asMdx) {
    try {
      return { tree: mdx.parse(source) };
    } catch (err) {
      mdxFailure = describe(err);
    }
  }
  try {
    return { tree: markdown.parse(source), mdxFailure };
  } catch (err) {
    return { mdxFailure, failure: describe(err) };
  }
}

function describe(err: unknown): ParseFailure {
  const e = err as { reason?: unknown; message?: unknown; line?: unknown; column?: unknown };
  const message = typeof e?.reason === "string" ? e.reason : typeof e?.message === "string" ? e.message : String(err);
  if (typeof e?.line === "number" && typeof e?.column === "number") return { message, line: e.line, column: e.column };
  // Some mdast-util-mdx-jsx errors carry the place only in the text: "… (1:1-1:6)".
  const m = /\((\d+):(\d+)(?:-\d+:\d+)?\)\s*$/.exec(message);
  return m ? { message, line: Number(m[1]), column: Number(m[2]) } : { message };
}
