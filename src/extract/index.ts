// The extract stage: one page → its TS/JS code blocks (with attributes and exact page positions), counts of
// every other fence, and extract findings. Never throws: a failure becomes a finding, so no page is lost.

import type { Code } from "mdast";
import type { Node, Parent } from "unist";
import { visit } from "unist-util-visit";
import type { BlockKind, CodeBlock, Finding, Page, PageCounts, Point, RunEnv, Severity, Span } from "../types.js";
import { emptyCounts } from "../types.js";
import { combineComments, mergeAttrs, parseMeta, type Issue } from "./attributes.js";
import { isCommentOnly, readDirectives, type DirectiveComment } from "./comments.js";
import { parse } from "./parse.js";
import { findAlternatives, type AlternativeMark } from "./alternatives.js";
import { finishBlock, type BlockDraft } from "./block.js";
import { buildLineMap, LineIndex } from "./position.js";
import { documentedThrow } from "../grade/throws.js";

export interface ExtractResult {
  /** TS/JS blocks in page order. */
  blocks: CodeBlock[];
  findings: Finding[];
  /** `checked` here means "not skipped"; the pipeline may lower it when a stage is off. */
  counts: PageCounts;
  /** Set when a `disable-file` directive skips the page; every block then has `attrs.skip`. */
  skipReason?: string;
}

export interface ExtractOptions {
  /** Parse as MDX. Default: the page path ends with `.mdx`. */
  mdx?: boolean;
  /** The default page context (config `context`); a `context-file` directive and `context=` on a block override it. */
  context?: "page" | "none";
  /** Config setup files for this page (root-relative path and text): their code comes before every block. */
  setupFiles?: { path: string; source: string }[];
  /** The default run environment (config `environment`); an `env-file` directive and `env=` on a block override it. */
  env?: RunEnv;
}

const LANGS: Record<string, { kind: BlockKind; ext: string }> = {
  ts: { kind: "ts", ext: ".ts" },
  typescript: { kind: "ts", ext: ".ts" },
  tsx: { kind: "ts", ext: ".tsx" },
  mts: { kind: "ts", ext: ".mts" },
  cts: { kind: "ts", ext: ".cts" },
  js: { kind: "js", ext: ".js" },
  javascript: { kind: "js", ext: ".js" },
  jsx: { kind: "js", ext: ".jsx" },
  mjs: { kind: "js", ext: ".mjs" },
  cjs: { kind: "js", ext: ".cjs" },
};

/** Languages whose fence becomes an expected-output fence when its meta holds the word `output`. */
const TEXT_LANGS = new Set(["text", "txt", "console"]);
/** How much prose may sit between a block and its output fence (one short paragraph). */
const MAX_OUTPUT_GAP = 300;

export function extract(page: Page, options: ExtractOptions = {}): ExtractResult {
  try {
    return extractPage(page, options);
  } catch (err) {
    const at: Point = { line: 1, column: 1, offset: 0 };
    return {
      blocks: [],
      findings: [
        {
          stage: "extract",
          ruleId: "extract/internal-error",
          severity: "error",
          message: `validate-docs could not extract code blocks from this page: ${err instanceof Error ? err.message : String(err)}. None of its blocks were checked.`,
          hint: "This is a bug in validate-docs; please report it with the page attached.",
          page: page.path,
          place: { start: at, end: at },
        },
      ],
      counts: emptyCounts(),
    };
  }
}

interface CodeEntry {
  node: Code;
  comments: DirectiveComment[];
}

function extractPage(page: Page, options: ExtractOptions): ExtractResult {
  const source = typeof page.source === "string" ? page.source : String(page.source ?? "");
  const index = new LineIndex(source);
  const findings: Finding[] = [];
  const report = (ruleId: string, severity: Severity, message: string, place: Span, extra: Partial<Finding> = {}) =>
    findings.push({ stage: "extract", ruleId, severity, message, page: page.path, place, ...extra });
  const lineSpan = (line: number, column = 1): Span => ({
    start: index.pointOf(line, column),
    end: index.pointAt(index.lineEnd(line)),
  });

  const counts: PageCounts = emptyCounts();
  const asMdx = options.mdx ?? /\.mdx$/i.test(page.path);
  const outcome = parse(source, asMdx);
  if (outcome.mdxFailure) {
    const f = outcome.mdxFailure;
    report(
      "extract/parse-error",
      "error",
      `This page is not valid MDX: ${f.message}. Its code blocks were extracted as plain Markdown instead, so positions after the error may be off.`,
      lineSpan(f.line ?? 1, f.column ?? 1),
      { hint: "Fix the MDX syntax (an MDX build of this page fails too), or rename the page to .md if it is plain Markdown." },
    );
  }
  if (!outcome.tree) {
    const f = outcome.failure;
    report("extract/parse-error", "error", `This page could not be parsed as Markdown: ${f?.message ?? "unknown error"}. None of its blocks were checked.`, lineSpan(f?.line ?? 1, f?.column ?? 1));
    return { blocks: [], findings, counts };
  }

  // One walk collects code nodes (at any depth: lists, quotes, footnotes, JSX children) and directive comments.
  const codes: CodeEntry[] = [];
  const comments = new Map<Node, DirectiveComment>();
  /** Page lines inside code and HTML nodes, where a fence-like line is content. */
  const covered = new Set<number>();
  visit(outcome.tree, (node: Node, i: number | undefined, parent: Parent | undefined) => {
    if ((node.type === "code" || node.type === "html") && node.position) {
      for (let l = node.position.start.line; l <= node.position.end.line; l++) covered.add(l);
    }
    if (node.type === "code") {
      codes.push({ node: node as Code, comments: attachedComments(parent, i, comments) });
    } else if (node.type === "html" || node.type === "mdxFlowExpression" || node.type === "mdxTextExpression") {
      const d = readDirectives(node);
      if (d) comments.set(node, d);
    }
  });

  for (const line of backtickInfoLines(source, covered)) {
    report(
      "extract/not-a-fence",
      "warning",
      "Not read as a code fence: the info string contains a backtick, which CommonMark does not allow after a backtick fence, so the block below is ordinary text and is not checked.",
      lineSpan(line),
      { hint: 'Remove the backtick from the info string (attribute values take "double quotes"), or open the fence with ~~~.' },
    );
  }

  const attached = new Map<DirectiveComment, { id: string } | undefined>();
  const commentSpan = (d: DirectiveComment): Span => nodeSpan(index, d.node);
  // Drafts while the page is read (an output fence after a block completes it); finished and frozen at the end.
  const drafts: Draft[] = [];
  let previous: { block?: (typeof drafts)[number]; end: number } | undefined;

  const marks = findAlternatives(outcome.tree);
  const alternativeOf = new Map<(typeof drafts)[number], AlternativeMark>();
  for (const { node, comments: own } of codes) {
    counts.fences++;
    const start = node.position ? index.pointOf(node.position.start.line, node.position.start.column) : index.pointAt(0);
    let end = node.position ? index.pointOf(node.position.end.line, node.position.end.column) : start;
    // remark ends an unterminated fence at the start of the empty last line; the fence really ends a line earlier.
    if (end.column === 1 && end.line > start.line) end = index.pointAt(index.lineEnd(end.line - 1));
    const fence: Span = { start, end };
    const opening = lineSpan(start.line, start.column);
    const marker = /^(`{3,}|~{3,})/.exec(source.slice(start.offset, start.offset + 64))?.[1];
    const closed = marker !== undefined && isClosed(source, index, fence, marker);
    const lang = (node.lang ?? "").toLowerCase();
    const known = LANGS[lang];
    const code = node.value.replace(/\r\n?/g, "\n");

    if (!known) {
      let isAssertion = false;
      if (marker !== undefined && !closed) {
        report("extract/unterminated-fence", "warning", unterminatedMessage(lang), opening);
      }
      for (const d of own) {
        attached.set(d, undefined);
        if (d.parsed.hasBlockDirective) {
          report(
            "extract/orphan-directive",
            "warning",
            `This directive applies to a ${lang ? `\`${lang}\`` : "plain"} code block, which validate-docs does not check, so it has no effect.`,
            commentSpan(d),
            { hint: "Move the comment directly above the TypeScript/JavaScript block it is meant for, or remove it." },
          );
        }
      }
      if (marker !== undefined && isOutputFence(lang, node.meta)) {
        const target = previous?.block;
        if (target && !target.expectedOutput && isNearby(source, previous!.end, start.offset)) {
          target.expectedOutput = { text: code, span: fence, bodySpan: bodySpan(index, fence, closed) };
          isAssertion = true;
        } else if (target && !target.expectedOutput) {
          report(
            "extract/orphan-output",
            "warning",
            "This output fence is too far from the code block before it to be its expected output, so it is not compared with anything.",
            opening,
            { hint: "Put the output fence right after the block (at most one short paragraph between them)." },
          );
        }
      }
      // An output fence that asserts a block's output is part of that check, not an unchecked fence.
      if (isAssertion) counts.outputs++;
      else counts.otherLanguage++;
      previous = { end: end.offset };
      continue;
    }

    const meta = parseMeta(node.meta);
    const fromComments = combineComments(own.map((d) => d.parsed));
    const { attrs, skipFrom } = mergeAttrs(fromComments, meta);
    const documented = attrs.expectThrow === undefined ? documentedThrow(code) : undefined;
    if (documented) {
      attrs.expectThrow = documented.name;
      attrs.expectThrowLine = documented.line;
    }
    const block: (typeof drafts)[number] = {
      id: `${page.path}#L${start.line}-L${end.line}`,
      page: page.path,
      index: drafts.length,
      lang,
      kind: known.kind,
      ext: known.ext,
      attrs,
      code,
      fence,
      opening: { start, end: opening.end },
      lineMap: buildLineMap(index, marker !== undefined ? start.line + 1 : start.line, code),
    };
    drafts.push(block);
    const mark = marks.get(node);
    if (mark) alternativeOf.set(block, mark);
    for (const d of own) attached.set(d, block);
    const blockId = block.id;
    const lastComment = own.length > 0 ? commentSpan(own[own.length - 1]) : opening;

    for (const issue of meta.issues) reportIssue(report, issue, opening, blockId);
    if (attrs.skip === "") {
      report(
        "extract/skip-without-reason",
        "error",
        "This block is skipped without a reason; readers and reviewers cannot tell whether the skip is still needed.",
        skipFrom === "comment" ? lastComment : opening,
        { blockId, hint: 'Say why: `<!-- validate-docs: skip reason="needs a live API key" -->`, or `skip="needs a live API key"` after the fence language.' },
      );
    }
    for (const d of attrs.disable ?? []) {
      const where = meta.disable.length > 0 ? opening : lastComment;
      if (d.rules.length === 0) {
        report("extract/bad-attribute", "error", "`disable` names no rule; expected rule ids, e.g. `disable no-console reason=\"…\"`.", where, { blockId });
      }
      if (d.reason === "") {
        report(
          "extract/disable-without-reason",
          "error",
          `Rule${d.rules.length === 1 ? "" : "s"} ${d.rules.map((r) => `\`${r}\``).join(", ") || "(none)"} disabled without a reason.`,
          where,
          { blockId, hint: 'Add `reason="…"` so the exception can be reviewed later.' },
        );
      }
    }
    if (marker !== undefined && !closed) {
      report("extract/unterminated-fence", "warning", unterminatedMessage(lang), opening, { blockId });
    }
    previous = { block, end: end.offset };
  }

  // Setup code hidden in a comment: a block at the comment's lines, seen first by every block of the page.
  for (const d of comments.values()) {
    const at = d.node.position?.start.line ?? 1;
    for (const f of d.fences) {
      counts.fences++;
      const known = LANGS[f.lang];
      const fenceStart = pointAfterIndent(index, at + f.openingLine);
      const opening: Span = { start: fenceStart, end: index.pointAt(index.lineEnd(fenceStart.line)) };
      const end = index.pointAt(index.lineEnd(at + f.closingLine));
      for (const issue of f.parsed.issues) reportIssue(report, issue, opening, undefined);
      if (!known) {
        counts.otherLanguage++;
        report("extract/bad-attribute", "error", `Setup code in a comment must be a TypeScript or JavaScript fence; \`${f.lang || "(none)"}\` is not checked or run.`, opening, {
          hint: "Write ```ts or ```js after `validate-docs: setup`.",
        });
        continue;
      }
      if (!f.closed) report("extract/unterminated-fence", "warning", "This setup fence in a comment is never closed; it runs to the end of the comment.", opening);
      const meta = parseMeta(f.meta);
      const { attrs } = mergeAttrs(f.parsed, meta);
      for (const issue of meta.issues) reportIssue(report, issue, opening, undefined);
      drafts.push({
        id: `${page.path}#L${fenceStart.line}-L${end.line}`,
        page: page.path,
        index: 0,
        lang: f.lang,
        kind: known.kind,
        ext: known.ext,
        attrs: { ...attrs, setup: true },
        code: f.code,
        fence: { start: fenceStart, end },
        opening: { start: fenceStart, end: opening.end },
        lineMap: buildLineMap(index, at + f.openingLine + 1, f.code),
        hidden: true,
      });
    }
  }

  // Problems in comments are reported once per comment, wherever (or whether) they attach.
  let skipReason: string | undefined;
  for (const d of comments.values()) {
    const block = attached.get(d);
    const blockId = block?.id;
    for (const issue of [...d.issues, ...d.parsed.issues]) reportIssue(report, issue, commentSpan(d), blockId);
    if (d.parsed.disableFile) {
      const reason = d.parsed.disableFile.reason ?? "";
      if (skipReason === undefined) skipReason = reason;
      if (reason === "") {
        report("extract/skip-without-reason", "error", "This page is skipped (`disable-file`) without a reason; none of its blocks are checked.", commentSpan(d), {
          hint: 'Say why: `<!-- validate-docs: disable-file reason="…" -->`.',
        });
      }
    }
    if (!attached.has(d) && d.parsed.hasBlockDirective) {
      report(
        "extract/orphan-directive",
        "warning",
        "This validate-docs directive is not directly followed by a code block, so it applies to nothing.",
        commentSpan(d),
        { hint: "Place the comment on the line(s) right above the fence it is meant for (blank lines are fine; other content is not)." },
      );
    }
  }

  if (skipReason !== undefined) for (const b of drafts) b.attrs = { ...b.attrs, skip: b.attrs.skip ?? skipReason };
  drafts.sort((a, b) => a.fence.start.offset - b.fence.start.offset);
  drafts.unshift(...(options.setupFiles ?? []).map(setupFileDraft).filter((d): d is Draft => d !== undefined));
  drafts.forEach((d, i) => (d.index = i));
  let pageContext = options.context ?? "page";
  for (const d of comments.values()) if (d.parsed.contextFile) pageContext = d.parsed.contextFile;
  assignContext(drafts, alternativeOf, pageContext);
  let pageEnv = options.env;
  for (const d of comments.values()) if (d.parsed.envFile) pageEnv = d.parsed.envFile;
  if (pageEnv) for (const d of drafts) if (d.attrs.env === undefined) d.attrs = { ...d.attrs, env: pageEnv };
  const blocks: CodeBlock[] = drafts.map(finishBlock);
  counts.skipped = blocks.filter((b) => b.attrs.skip !== undefined).length;
  counts.checked = blocks.length - counts.skipped;
  return { blocks, findings, counts, ...(skipReason !== undefined ? { skipReason } : {}) };
}

type Draft = { -readonly [K in keyof BlockDraft]: BlockDraft[K] };

/**
 * Page context (docs/attributes.md): every block sees the page's setup blocks, then the earlier blocks of the page
 * in order; of an alternatives group before it, only the member of its own lane (else the group's first member);
 * of its own group, none. `context=none` (block, page or config) leaves only the setup. Skipped blocks are not seen.
 */
function assignContext(drafts: Draft[], marks: Map<Draft, AlternativeMark>, pageContext: "page" | "none"): void {
  const active = drafts.filter((d) => d.attrs.skip === undefined);
  // Groups of two or more active TS/JS blocks; a lone tab is an ordinary block.
  const members = new Map<number, Draft[]>();
  for (const d of active) {
    const m = marks.get(d);
    if (!m || d.attrs.setup) continue;
    members.set(m.group, [...(members.get(m.group) ?? []), d]);
  }
  for (const [group, list] of members) {
    if (list.length < 2) continue;
    list.forEach((d, i) => (d.alternative = { group, lane: marks.get(d)!.lane, first: i === 0 }));
  }
  const setup = active.filter((d) => d.attrs.setup).map((d) => d.id);
  const earlier: Draft[] = [];
  for (const d of active) {
    const mode = d.attrs.context ?? pageContext;
    if (d.attrs.setup) {
      d.context = mode === "none" ? [] : setup.slice(0, setup.indexOf(d.id));
      continue;
    }
    const seen: string[] = [...setup];
    if (mode !== "none") {
      for (const e of earlier) {
        const alt = e.alternative;
        if (!alt) {
          seen.push(e.id);
          continue;
        }
        if (d.alternative?.group === alt.group) continue;
        // The page's sequence continues with each group's first member; another alternative follows its own lane.
        const group = members.get(alt.group)!;
        const lane = d.alternative && !d.alternative.first ? d.alternative.lane : undefined;
        const chosen = group.find((g) => lane !== undefined && g.alternative!.lane === lane) ?? group[0];
        if (chosen === e) seen.push(e.id);
      }
    }
    d.context = seen;
    earlier.push(d);
  }
}

/** A config setup file as a block of its own file (page = the file), seen first by every block of the page. */
function setupFileDraft(file: { path: string; source: string }): Draft | undefined {
  const ext = /\.[cm]?[jt]sx?$/.exec(file.path)?.[0];
  const known = ext ? LANGS[ext.slice(1)] : undefined;
  if (!known || !ext) return undefined;
  const index = new LineIndex(file.source);
  const code = file.source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").replace(/\n$/, "");
  const start = index.pointOf(1, 1);
  const end = index.pointAt(file.source.length);
  return {
    id: `${file.path}#L1-L${end.line}`,
    page: file.path,
    index: 0,
    lang: ext.slice(1),
    kind: known.kind,
    ext: known.ext,
    attrs: { extra: {}, setup: true },
    code,
    fence: { start, end },
    opening: { start, end: index.pointAt(index.lineEnd(1)) },
    lineMap: buildLineMap(index, 1, code),
    hidden: true,
  };
}

function pointAfterIndent(index: LineIndex, line: number): Point {
  const text = index.lineText(line);
  const indent = text.length - text.trimStart().length;
  return index.pointOf(line, indent + 1);
}

/** Directive comments right before child i of parent: a run of comment-only siblings (blank lines allowed). */
function attachedComments(parent: Parent | undefined, i: number | undefined, known: Map<Node, DirectiveComment>): DirectiveComment[] {
  if (!parent || i === undefined) return [];
  const found: DirectiveComment[] = [];
  for (let j = i - 1; j >= 0; j--) {
    const sibling = parent.children[j];
    if (!isCommentOnly(sibling)) break;
    // Siblings are visited before the code node, so their directives are already read.
    const d = known.get(sibling);
    if (d) found.unshift(d);
  }
  return found;
}

function reportIssue(
  report: (ruleId: string, severity: Severity, message: string, place: Span, extra?: Partial<Finding>) => void,
  issue: Issue,
  place: Span,
  blockId: string | undefined,
): void {
  report(issue.ruleId, issue.severity, issue.message, place, { ...(blockId ? { blockId } : {}), ...(issue.hint ? { hint: issue.hint } : {}) });
}

function nodeSpan(index: LineIndex, node: Node): Span {
  const p = node.position;
  if (!p) return { start: index.pointAt(0), end: index.pointAt(0) };
  return { start: index.pointOf(p.start.line, p.start.column), end: index.pointOf(p.end.line, p.end.column) };
}

/** The fence's last line is a closing marker of the same kind and at least the same length. */
function isClosed(source: string, index: LineIndex, fence: Span, marker: string): boolean {
  if (fence.end.line === fence.start.line) return false;
  const last = source.slice(index.lineStart(fence.end.line), fence.end.offset);
  const m = /^[ \t>]*(`{3,}|~{3,})[ \t]*$/.exec(last);
  return m !== null && m[1][0] === marker[0] && m[1].length >= marker.length;
}

/**
 * Lines that look like an opening backtick fence whose info string holds a backtick (`` ```ts title=`a` ``): per
 * CommonMark they are not fences, so the block after them silently becomes text. A line whose info string closes
 * the opening run (`` ```js `x` ``` ``, inline code on one line) is left alone.
 */
function backtickInfoLines(source: string, covered: ReadonlySet<number>): number[] {
  const lines: number[] = [];
  source.split(/\r?\n|\r/).forEach((text, i) => {
    if (covered.has(i + 1)) return;
    const m = /^(?:[ \t]*>)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(`{3,})([^`].*|)$/.exec(text);
    if (!m || !m[2]!.includes("`")) return;
    const runs = m[2]!.match(/`+/g) ?? [];
    if (runs.some((r) => r.length === m[1]!.length)) return;
    lines.push(i + 1);
  });
  return lines;
}

function unterminatedMessage(lang: string): string {
  return (
    `This ${lang ? `\`${lang}\` ` : ""}code fence is never closed, so it runs to the end of the page (or of its list item/quote) ` +
    "and swallows everything after it, including other code blocks."
  );
}

function isOutputFence(lang: string, meta: string | null | undefined): boolean {
  if (lang === "output") return true;
  return TEXT_LANGS.has(lang) && (meta ?? "").split(/\s+/).includes("output");
}

/** Only blank lines, container markers, or one short paragraph between a block and its output fence. */
function isNearby(source: string, from: number, to: number): boolean {
  if (to - from > MAX_OUTPUT_GAP * 4) return false;
  const lines = source
    .slice(from, to)
    .split(/\r\n|\r|\n/)
    .map((l) => l.replace(/^[\s>]*/, "").trim());
  const first = lines.findIndex((l) => l !== "");
  if (first === -1) return true;
  let last = lines.length - 1;
  while (lines[last] === "") last--;
  const paragraph = lines.slice(first, last + 1);
  if (paragraph.some((l) => l === "")) return false;
  const text = paragraph.join(" ");
  return text.length <= MAX_OUTPUT_GAP && !/^(#|<|\{|[-*+] |\d+[.)] )/.test(text);
}

/** The body lines of a fence, whole lines from column 1 (container prefixes included) to the last body line's end. */
function bodySpan(index: LineIndex, fence: Span, closed: boolean): Span {
  const first = fence.start.line + 1;
  const last = closed ? fence.end.line - 1 : fence.end.line;
  if (last < first || first > index.lineCount) {
    // Empty body: a zero-width span at the start of the closing line, where new text would go.
    const at = index.pointOf(Math.min(first, index.lineCount), 1);
    return { start: at, end: at };
  }
  return { start: index.pointOf(first, 1), end: index.pointAt(index.lineEnd(last)) };
}
