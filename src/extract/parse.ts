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

/** Characters of container prefix (indentation, `>` markers, list markers) beyond which a line is absurdly deep. */
const MAX_PREFIX = 400;
/** Pages from this size on are defused before parsing (see defuse). */
const LARGE_PAGE = 256 * 1024;
/** In a large page, one line in this many of a long run of prose lines is blanked; longer lines are blanked whole. */
const RUN_LINES = 64;
const LONG_LINE = 64 * 1024;

const PREFIX = /^(?:[ \t>]|[-*+][ \t]|\d{1,9}[.)][ \t])*/;
const FENCE = /^(`{3,}|~{3,})/;

interface Line {
  start: number;
  text: string;
  /** Container prefix length. */
  prefix: number;
  /** Inside a fenced code block (the fence lines themselves included). */
  code: boolean;
}

/** The page's lines with their container prefix and whether they are code; a cheap scan, not a Markdown parser. */
function scanLines(source: string): Line[] {
  const lines: Line[] = [];
  let open: string | undefined;
  let start = 0;
  while (start <= source.length) {
    let end = source.indexOf("\n", start);
    if (end === -1) end = source.length;
    const text = source.slice(start, end);
    const prefix = PREFIX.exec(text)![0].length;
    const fence = FENCE.exec(text.slice(prefix))?.[1];
    let code = open !== undefined;
    if (open === undefined && fence) {
      open = fence;
      code = true;
    } else if (open !== undefined && fence && fence[0] === open[0] && fence.length >= open.length && text.slice(prefix + fence.length).trim() === "") {
      open = undefined;
    }
    lines.push({ start, text, prefix, code });
    start = end + 1;
  }
  return lines;
}

/**
 * The Markdown parser is superlinear in container depth (10,000 nested list levels never finish) and in the length
 * of a paragraph (a 5 MB paragraph took minutes). Pages that deep are refused with a clear failure; in large pages,
 * long runs of prose are broken up by blanking a line now and then (same length, so every offset and line number
 * stays true). Fenced code is never touched.
 */
function guard(source: string): { text: string } | { failure: ParseFailure } {
  const large = source.length >= LARGE_PAGE;
  // Fast path: a small page without long indentation runs needs no scan.
  if (!large && !/(?:^|\n)[ \t>*+\-\d.)]{400}/.test(source)) return { text: source };
  const lines = scanLines(source);
  const deep = lines.find((l) => !l.code && l.prefix > MAX_PREFIX);
  if (deep) {
    const line = lines.indexOf(deep) + 1;
    return {
      failure: {
        message: `it is nested more than ${MAX_PREFIX} characters deep (lists or quotes) at line ${line}, too deep to parse in reasonable time`,
        line,
        column: 1,
      },
    };
  }
  if (!large) return { text: source };
  const parts: string[] = [];
  let copied = 0;
  let run = 0;
  for (const l of lines) {
    const rest = l.text.slice(l.prefix);
    const prose = !l.code && rest.trim() !== "" && !/^[<#|]/.test(rest);
    run = prose ? run + 1 : 0;
    if (prose && (l.text.length > LONG_LINE || run % RUN_LINES === 0)) {
      const cr = l.text.endsWith("\r") ? 1 : 0;
      parts.push(source.slice(copied, l.start), " ".repeat(l.text.length - cr));
      copied = l.start + l.text.length - cr;
    }
  }
  if (copied === 0) return { text: source };
  parts.push(source.slice(copied));
  return { text: parts.join("") };
}

export function parse(source: string, asMdx: boolean): ParseOutcome {
  const guarded = guard(source);
  if ("failure" in guarded) return { failure: guarded.failure };
  return parseText(guarded.text, asMdx);
}

function parseText(source: string, asMdx: boolean): ParseOutcome {
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
