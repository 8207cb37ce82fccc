// Core data types. This module imports no stage: every stage imports it.
// Names follow vfile-message (Point, Span) so adapters to unified tooling stay trivial.

/** 1-based line and column, 0-based offset (UTF-16 code units, as in the page string). */
export interface Point {
  line: number;
  column: number;
  offset: number;
}

export interface Span {
  start: Point;
  end: Point;
}

export type Stage = "extract" | "typecheck" | "run" | "lint" | "template" | "grade" | "pack";

/**
 * Graded check levels, in order: a block that reaches a level passed through the ones before it
 * (docs/real-world.md). `none`: not checked at all (skipped, not a program, does not parse).
 */
export const LEVELS = ["none", "parse", "resolve", "typecheck", "run"] as const;
export type Level = (typeof LEVELS)[number];
/** Levels an author or the config can cap a block at (`level=typecheck`). */
export const CHECK_LEVELS = ["parse", "resolve", "typecheck", "run"] as const;
export type CheckLevel = (typeof CHECK_LEVELS)[number];
/** Where a block runs: Node, or Node with a DOM implementation made global (`env=browser`). */
export type RunEnv = "node" | "browser";

/** Why a block stopped below `run`; each is counted in the reports. */
export type StopReason =
  | "skipped"
  | "stage-off"
  | "pseudo-code"
  | "shell-session"
  | "json"
  | "yaml"
  | "syntax-error"
  | "unresolved-import"
  | "undeclared-name"
  | "type-only"
  | "value-only"
  | "placeholder"
  | "browser-only"
  | "other-runtime"
  | "level-cap"
  | "no-run"
  | "needs-network"
  | "not-run";
export type Severity = "error" | "warning" | "info";

/**
 * A placeholder the run replaced with a neutral value (docs/real-world.md, "Placeholders"): a placeholder string
 * literal (`'<your-endpoint>'`) or an unset `process.env.X`. Reported on the block, so a reader of the report sees
 * what the example really ran with.
 */
export interface Substitute {
  /** What the page shows: `'<your-endpoint>'`, `process.env.OPENAI_API_KEY`. */
  placeholder: string;
  /** The neutral value the run used instead. */
  value: string;
  /** 1-based line of the block. */
  line: number;
}

/**
 * How JavaScript blocks are type-checked (docs/real-world.md, "JavaScript blocks"): `off` — syntax only; `typed`
 * (default) — against the types of what they use, reporting only misuse of typed APIs (a property, method, argument
 * or option the library's types do not have); `full` — every diagnostic, as TypeScript's `checkJs` under the
 * project's options.
 */
export const CHECK_JS_MODES = ["off", "typed", "full"] as const;
export type CheckJsMode = (typeof CHECK_JS_MODES)[number];
export type CheckName = "typecheck" | "run" | "lint";

/** What a block may ask the permission sandbox for (the `sandbox` attribute). */
export const SANDBOX_ALLOWANCES = ["child-process", "workers", "addons"] as const;
export type SandboxAllowance = (typeof SANDBOX_ALLOWANCES)[number];

/**
 * Attributes of a code block, from the fence meta and a preceding `<!-- validate-docs: … -->` comment. One field per
 * block attribute of the attribute table (src/extract/attribute-table.ts: parsing, merging and docs), plus `extra`
 * and `expectThrowLine`; test/extract/attribute-table.test.ts fails when they differ.
 */
export interface BlockAttrs {
  /** Present when the block is skipped; the reason ("" when the author gave none, which is itself a finding). */
  skip?: string;
  /** Type-check and lint only. */
  noRun?: boolean;
  /** TypeScript error codes that must occur in this block (`expect-error=2353,2345`). */
  expectError?: number[];
  /** Rule ids that must be reported in this block (`expect-finding=no-init-instrumentors`). */
  expectFinding?: string[];
  /** The block must throw; a string must be contained in `String(error)`. */
  expectThrow?: string | true;
  /** Set when `expectThrow` comes from a comment documenting the throw (`// throws TypeError`) on this block line. */
  expectThrowLine?: number;
  /** Per-block run timeout in ms. */
  timeout?: number;
  /** What the permission sandbox allows the block's page process besides the config (`sandbox="child-process"`). */
  sandbox?: SandboxAllowance[];
  /** A file name shown in reports. */
  title?: string;
  /** `context=none`: the block sees no earlier block of its page (setup code still applies). */
  context?: "page" | "none";
  /** `setup`: setup code; it runs first and every block of the page sees it. */
  setup?: boolean;
  /** The deepest check this block gets (`level=typecheck`: type-checked, never run). */
  level?: CheckLevel;
  /** `env=browser`: run under a DOM implementation (happy-dom or jsdom from the user's project); also a page default. */
  env?: RunEnv;
  /** `isolate=process`: the block's page runs in a process of its own, not a worker thread (docs/running.md). */
  isolate?: "process";
  /** How a JavaScript block is type-checked (`check-js=off|typed|full`); see CheckJsMode. */
  checkJs?: CheckJsMode;
  /** Rules disabled for this block, each with the author's reason. */
  disable?: { rules: string[]; reason: string }[];
  /** Keys we do not interpret, preserved verbatim for plugins and reports. */
  extra: Record<string, string | true>;
}

/** Where code line i of a block sits in the page. */
export interface LineShift {
  /** 1-based page line of this code line. */
  line: number;
  /** Number of page characters before code column 1 on that line (indent, `> `, list markers). */
  shift: number;
  /** Page offset of the first character of the code line. */
  offset: number;
}

export type BlockKind = "ts" | "js";
export type ModuleFormat = "esm" | "cjs";

/**
 * A TS/JS block as extract returns it: complete (every field set) and read-only (frozen). Stages never patch a
 * block; anything a stage needs about a block is decided in extract and carried here, so it survives the
 * structured clone into the run worker unchanged.
 */
export interface CodeBlock {
  /** Stable, readable id: `docs/guide.md#L12-L20` (fence lines, inclusive). */
  readonly id: string;
  /** Posix path relative to the root. */
  readonly page: string;
  /** nth TS/JS code block on the page (0-based). */
  readonly index: number;
  /** The fence language as written (`ts`, `tsx`, `mjs`, …), lower-cased. */
  readonly lang: string;
  readonly kind: BlockKind;
  /** File extension used when compiling and running this block (`.ts`, `.tsx`, `.mts`, `.js`, …). */
  readonly ext: string;
  readonly attrs: Readonly<BlockAttrs>;
  /** The de-indented body, exactly as compiled and run. */
  readonly code: string;
  /** The whole fence in the page. */
  readonly fence: Span;
  /**
   * The opening fence line, from the fence marker to the end of the line (before its line ending): where
   * findings about the block as a whole are attached.
   */
  readonly opening: Span;
  /** One entry per code line. */
  readonly lineMap: readonly LineShift[];
  /** The `output` fence that follows the block, if any (its body and span in the page). */
  readonly expectedOutput?: { readonly text: string; readonly span: Span; readonly bodySpan: Span };
  /** The module format the block is checked and run as (src/module-format.ts), decided in extract. */
  readonly format: ModuleFormat;
  /**
   * Page context: ids of the blocks of the same page whose imports and top-level declarations this block sees, in
   * the order they run before it (setup blocks first). Decided in extract from alternatives groups, `setup`,
   * `context=none` and skips; see docs/attributes.md.
   */
  readonly context: readonly string[];
  /** Set when the block shows one alternative of an example (a tab): it runs in a process of its own lane. */
  readonly alternative?: Alternative;
  /** Set for setup code hidden in an HTML comment (`<!-- validate-docs: setup ```ts … ``` -->`). */
  readonly hidden?: boolean;
}

/** A block that is one of several alternatives of the same example (TS/JS tabs, `<Tabs>`, "or with CommonJS:"). */
export interface Alternative {
  /** Page-unique group number. */
  readonly group: number;
  /** The tab's label (lower case) or the block's language: blocks of the same lane in later groups see each other. */
  readonly lane: string;
  /** The first alternative of its group: the one the page's sequence (and blocks after the group) continues with. */
  readonly first: boolean;
}

/** What a stage did: its findings, and the ids of the blocks it actually checked (never guessed by the caller). */
export interface StageOutcome {
  findings: Finding[];
  checked: Set<string>;
}

/** A text edit in page offsets. */
export interface Fix {
  range: [number, number];
  text: string;
}

/** Where a finding on a rendered template page comes from. */
export interface TemplateOrigin {
  template: string;
  variant: string;
  /** Position in the template (or partial) file; absent when the text comes from variant data. */
  file?: string;
  place?: Span;
  fromData?: boolean;
}

export interface Finding {
  stage: Stage;
  /** `ts2353` | `run/threw` | `no-init-instrumentors` | `extract/skip-without-reason` … */
  ruleId: string;
  severity: Severity;
  /** What is wrong and what is expected. */
  message: string;
  page: string;
  blockId?: string;
  /** Always page coordinates. */
  place: Span;
  hint?: string;
  /** Documentation of the rule (lint findings: the rule's `meta.docs.url`). */
  url?: string;
  /** Lint findings: the key of the rule's `meta.messages` that produced `message`. */
  messageId?: string;
  fix?: Fix;
  suggestion?: string;
  origin?: TemplateOrigin;
  /** How many further findings of the same cause or rule in this block were folded into this one (not shown). */
  folded?: number;
  /** An error the baseline (`--baseline`) knows: reported with severity `warning`, so it does not fail the gate. */
  baselined?: true;
}

export type BlockStatus = "passed" | "failed" | "skipped";

export interface BlockResult {
  id: string;
  lang: string;
  line: number;
  title?: string;
  status: BlockStatus;
  skipReason?: string;
  checks: CheckName[];
  /** The deepest level of parse → resolve → typecheck → run this block reached. */
  level: Level;
  /** Why it stopped below `run` (absent when it ran). */
  stop?: { reason: StopReason; detail: string };
  /** Placeholders the run replaced with neutral values (absent when none). */
  substitutes?: Substitute[];
}

export interface PageCounts {
  /** Every fenced or indented code node on the page. */
  fences: number;
  /** TS/JS blocks that were checked by at least one stage. */
  checked: number;
  /** TS/JS blocks skipped (with a reason in the report). */
  skipped: number;
  /** Fences in other languages (bash, json …), counted, never silently lost. */
  otherLanguage: number;
  /** `output` fences attached to a block as its expected output (checked with that block). */
  outputs: number;
}

export interface PageResult {
  page: string;
  blocks: BlockResult[];
  findings: Finding[];
  counts: PageCounts;
  /** Set when the page was skipped as a whole (disable-file). */
  skipReason?: string;
  /** The template and variant a rendered page came from. */
  origin?: { template: string; variant: string };
}

/** Findings of every variant of one template, grouped per template line (src/templates/group.ts). */
export interface TemplateReport {
  template: string;
  /** Every variant rendered from this template, in render order. */
  variants: string[];
  groups: TemplateFindingGroup[];
  errors: number;
  warnings: number;
  passed: boolean;
}

/** One problem at one template (or partial) line, seen in one or more variants. */
export interface TemplateFindingGroup {
  template: string;
  /** Template or partial file the findings point at. */
  file: string;
  place: Span;
  /** The offending text came from variant data; `place` is the mustache that inserted it. */
  fromData: boolean;
  ruleId: string;
  severity: Severity;
  /** The message of the first affected variant. */
  message: string;
  /** Affected variants, in render order; `["*"]` for an error that stops every variant. */
  variants: string[];
  /** Where it shows in each rendered page. */
  pages: { variant: string; page: string; place: Span }[];
  /** Findings in this group (one per affected rendered page, or the template finding itself). */
  count: number;
}

export interface Summary {
  pages: number;
  blocks: number;
  passed: number;
  failed: number;
  skipped: number;
  errors: number;
  warnings: number;
  infos: number;
  /** Blocks per level reached. */
  levels: Record<Level, number>;
  /**
   * Passed blocks per level reached: a block passed only as far as it was checked (a placeholder that stopped at
   * `parse` passed its parse, nothing more). The reports print `12 passed (run 8 · typecheck 3 · parse 1)`.
   */
  passedLevels: Record<Level, number>;
  /** Blocks per stop reason (blocks that reached `run` have none). */
  reasons: Partial<Record<StopReason, number>>;
  /** Errors the baseline knows (reported as warnings, counted here and not in `warnings`); absent without any. */
  baselined?: number;
}

/**
 * One known failure in a baseline file: page, stable block key and rule. The key is a hash of the block's code
 * (`~2`, `~3` … for repeats of the same code on the page; "" for a finding outside any block), not the block id
 * (`page#L12-L20`), which changes whenever a line above the block is added or removed.
 */
export interface BaselineEntry {
  page: string;
  block: string;
  rule: string;
  /** How many errors of this rule the block had when recorded. */
  count: number;
  /** Where and what it was when recorded (for people reading the file; not used to match). */
  id?: string;
  line?: number;
  message?: string;
}

/** What `--baseline` did in a run. */
export interface BaselineOutcome {
  file: string;
  /** Errors demoted to warnings because the baseline knows them. */
  suppressed: number;
  /** Entries (with the count that no longer fails) on the pages this run checked: safe to remove. */
  removable: BaselineEntry[];
  /** Set when the run updated the file (`--update-baseline`). */
  updated?: { removed: number; added: number; notAdded: number };
}

/** Which part of a `--shard k/n` run a result is (absent for a whole run and for merged results). */
export interface ShardInfo {
  index: number;
  total: number;
}

export interface CheckResult {
  /** Report format version; see docs/reports.md. */
  version: 1;
  tool: { name: "validate-docs"; version: string };
  root: string;
  pages: PageResult[];
  summary: Summary;
  /** Milliseconds per stage (wall time), carried in the result so reporters stay pure. */
  timings: Record<string, number>;
  /** Set on a shard's result; `merge-reports` needs every shard of the split. */
  shard?: ShardInfo;
  /** Set when a baseline was used. */
  baseline?: BaselineOutcome;
  /** Result cache use (absent with --no-cache): pages for extract and run, blocks for typecheck and lint. */
  cache?: CacheStats;
  /** Guide templates: findings grouped per template line across variants (present when templates were checked). */
  templates?: TemplateReport[];
}

export interface CacheStats {
  /** Pages. */
  extract: { hits: number; misses: number };
  typecheck: { hits: number; misses: number };
  lint: { hits: number; misses: number };
  run: { hits: number; misses: number };
}

/** A page to check: a file on disk, or a rendered template variant in memory. */
export interface Page {
  /** Posix path relative to the root (for a template variant, its output path). */
  path: string;
  abs: string;
  source: string;
  /** A rendered template variant: where it came from, with the map from page offsets to template positions. */
  origin?: PageOrigin;
}

export interface PageOrigin {
  template: string;
  variant: string;
  map: OriginMap;
}

/** One run of output characters and where they come from. Offsets are 0-based; `at` is a file offset. */
export interface Segment {
  /** Output range [start, end). */
  start: number;
  end: number;
  /** Template or partial file (root-relative posix path). */
  file: string;
  /**
   * `template`: output char `start + i` is file char `at + i` (text written in the template).
   * `data`: the text comes from variant data (or a helper); [at, atEnd) is the mustache that produced it.
   */
  kind: "template" | "data";
  at: number;
  atEnd: number;
}

/** Rendered page offset → template (or partial) file position, as plain data (src/templates/origin.ts). */
export interface OriginMap {
  segments: Segment[];
  /** The text of every file a segment points into (for line/column, via src/extract/position.ts). */
  sources: Record<string, string>;
  /** True when the engine could not give exact positions and lines were matched by text instead. */
  approximate: boolean;
}

/** A file a reporter produces; no path → standard output. */
export interface ReportFile {
  path?: string;
  content: string;
  /** `step-summary`: appended to the CI job summary ($GITHUB_STEP_SUMMARY) when there is one, else dropped. */
  destination?: "step-summary";
}

export interface ReportOptions {
  /** Page sources by page path, for code frames. */
  sources?: ReadonlyMap<string, string>;
  color?: boolean;
  /** Repository root of a GitHub Actions checkout ($GITHUB_WORKSPACE): annotation paths are relative to it. */
  workspace?: string;
  /** Posix path from the report file's directory to the root (e.g. `..`, ending in `/`), for links to pages. */
  rootLink?: string;
  /** Console: print the findings of these pages only (the summary still covers all); for --watch. */
  onlyPages?: ReadonlySet<string>;
}

/** Reporters are pure: no filesystem, console or clock. One writer does the I/O. */
export interface Reporter {
  id: string;
  render(result: CheckResult, options: ReportOptions): ReportFile[];
}

/** Counts of a page with no fences (a page-level failure, or a template that did not render). */
export function emptyCounts(): PageCounts {
  return { fences: 0, checked: 0, skipped: 0, otherLanguage: 0, outputs: 0 };
}
