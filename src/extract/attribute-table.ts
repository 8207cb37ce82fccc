// THE attribute table: every fence-meta attribute and `validate-docs:` directive once, with how its value is
// parsed, how several settings of it merge (comments in page order, then the fence meta), where it lands on the
// block, and its documentation. Parsing, merging and the did-you-mean lists (attributes.ts), the `BlockAttrs` fields
// (types.ts) and the tables in docs/attributes.md follow it; test/extract/attribute-table.test.ts fails when one
// drifts (`npm run gen:docs` rewrites the docs tables). Adding an attribute is one row here, plus its field
// in BlockAttrs and whatever reads it.
import type { BlockAttrs, CheckJsMode, CheckLevel, RunEnv, SandboxAllowance } from "../types.js";
import { CHECK_JS_MODES, CHECK_LEVELS, SANDBOX_ALLOWANCES } from "../types.js";

/** A value the attribute does not take; `expected` completes "Bad value for `key`: `raw`; expected …". */
export class BadValue {
  constructor(readonly expected: string) {}
}

/** How several settings of an attribute combine: the last one wins, the first one wins, or all are kept. */
export type MergeRule = "last" | "first" | "append";

export interface AttributeSpec<F extends string = string, V = unknown, M extends MergeRule = MergeRule> {
  /** The name, then aliases (`title`, `filename`), lower case. */
  readonly names: readonly [string, ...string[]];
  /** The field of the parsed attributes (and, for block attributes, of `BlockAttrs`) it sets. */
  readonly field: F;
  /** `block`: fence meta or a comment before the block; `page`: a comment anywhere on the page only. */
  readonly scope: "block" | "page";
  readonly merge: M;
  /** Parses the value (undefined for a bare token); `key` is the name as written. */
  readonly parse: (value: string | undefined, key: string) => V | BadValue;
  /** A `reason="…"` may follow it (the parsed value then carries `reason`). */
  readonly reason?: boolean;
  /** In a comment, bare tokens after it extend its list (`disable rule-a rule-b`; the value carries `rules`). */
  readonly list?: boolean;
  /** The value as BlockAttrs holds it (default: as parsed); undefined leaves the field unset. */
  readonly toBlock?: (value: V) => unknown;
  /** For a page directive written in a fence meta: what it does, and the hint (it is an error there). */
  readonly pageOnly?: { does: string; hint: string };
  /** Docs: how it is written, and what it means (Markdown, links relative to docs/). */
  readonly syntax: string;
  readonly description: string;
}

function attr<F extends string, V, M extends MergeRule>(spec: AttributeSpec<F, V, M>): AttributeSpec<F, V, M> {
  return spec;
}

export function splitList(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** `5000`, `5000ms`, `5s`, `1.5s`, `1m` → milliseconds; undefined when not a positive duration. */
export function parseDuration(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i.exec(v.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? "ms").toLowerCase();
  const ms = Math.round(Number(m[1]) * (unit === "m" ? 60_000 : unit === "s" ? 1000 : 1));
  return ms > 0 && Number.isFinite(ms) ? ms : undefined;
}

/** A non-empty list (commas or spaces) whose every item `item` accepts (returning what to keep). */
function listOf(v: string | undefined, item: (s: string) => string | undefined, expected: string): string[] | BadValue {
  const items = splitList(v ?? "").map(item);
  return items.length === 0 || items.some((x) => x === undefined) ? new BadValue(expected) : (items as string[]);
}

const runEnv = (v: string | undefined): RunEnv | BadValue => {
  const value = v?.toLowerCase();
  return value === "browser" || value === "node" ? value : new BadValue("`browser` (run under a DOM implementation: happy-dom or jsdom from your project) or `node` (the default)");
};

const contextMode = (v: string | undefined): "page" | "none" | BadValue => {
  const value = v?.toLowerCase();
  return value === "none" || value === "page" ? value : new BadValue("`none` (the block sees no earlier block of its page) or `page` (the default)");
};

export const ATTRIBUTES = [
  attr({
    names: ["skip"], field: "skip", scope: "block", merge: "last", reason: true,
    parse: (v): { reason?: string } => ({ reason: v }),
    toBlock: (v) => v.reason ?? "",
    syntax: '`skip="reason"` (or `skip reason="…"`)',
    description: "do not check the block; the reason shows in every report. A bare `skip` is an error finding: say why.",
  }),
  attr({
    names: ["no-run"], field: "noRun", scope: "block", merge: "last",
    parse: (v) => {
      if (v === undefined || v === "" || v.toLowerCase() === "true") return true;
      if (v.toLowerCase() === "false") return false;
      return new BadValue("no value (`no-run`), or `true`/`false`");
    },
    toBlock: (v) => (v ? true : undefined),
    syntax: "`no-run`",
    description: "type-check and lint only",
  }),
  attr({
    names: ["expect-error"], field: "expectError", scope: "block", merge: "last",
    parse: (v) => {
      const codes = listOf(v, (s) => /^(?:ts)?(\d{1,6})$/i.exec(s)?.[1], "TypeScript error codes separated by commas, e.g. `expect-error=2353,2345` (`TS2353` also works)");
      return codes instanceof BadValue ? codes : codes.map(Number);
    },
    syntax: "`expect-error=2353,2345`",
    description: "these TypeScript errors must occur in the block (`TS2353` also accepted); one that does not occur is `expect/missing-error`",
  }),
  attr({
    names: ["expect-finding"], field: "expectFinding", scope: "block", merge: "last",
    parse: (v) => listOf(v, (s) => (/^[@a-z0-9][a-z0-9@/_.-]*$/i.test(s) ? s : undefined), "rule ids separated by commas, e.g. `expect-finding=no-init-instrumentors,ts2353`"),
    syntax: "`expect-finding=rule-a,rule-b`",
    description: "these rule findings must occur in the block; one that does not is `expect/missing-finding`",
  }),
  attr({
    names: ["expect-throw"], field: "expectThrow", scope: "block", merge: "last",
    parse: (v): string | true => (v === undefined || v === "" ? true : v),
    syntax: '`expect-throw` / `expect-throw="TypeError: msg"`',
    description:
      'the block must throw; a value must be the error\'s class (`expect-throw="ZodError"`), its `name`, or contained in its text (`String(error)`). A comment documenting a throw on a code line (`JSON.parse("{") // throws SyntaxError`, `foo() //=> ArgumentError`) means the same: the block must throw that error',
  }),
  attr({
    names: ["timeout"], field: "timeout", scope: "block", merge: "last",
    parse: (v) => parseDuration(v) ?? new BadValue("a positive duration in milliseconds, e.g. `timeout=5000`, or with a unit: `5000ms`, `5s`, `1m`"),
    syntax: "`timeout=5000`",
    description: "run timeout for this block (`250ms`, `5s`, `2m` also work)",
  }),
  attr({
    names: ["sandbox"], field: "sandbox", scope: "block", merge: "last",
    parse: (v) => listOf(v, (s) => (SANDBOX_ALLOWANCES as readonly string[]).includes(s.toLowerCase()) ? s.toLowerCase() : undefined, "a list of `child-process`, `workers`, `addons`") as SandboxAllowance[] | BadValue,
    syntax: '`sandbox="child-process workers addons"`',
    description:
      "what the [permission sandbox](security.md) allows this block besides reading the project and writing its temp dir: starting processes, worker threads, native addons. All blocks of a page run in one process, so an allowance holds for the page's process while it runs; the config `sandbox` option sets it for every page",
  }),
  attr({
    names: ["isolate"], field: "isolate", scope: "block", merge: "last",
    parse: (v) => (v === "process" ? ("process" as const) : new BadValue("`isolate=process` (the page runs in a process of its own instead of a worker thread)")),
    syntax: "`isolate=process`",
    description: "run the block's page in a process of its own instead of a worker thread ([isolation](running.md#isolation-threads-and-processes))",
  }),
  attr({
    names: ["title", "filename"], field: "title", scope: "block", merge: "last",
    parse: (v, key) => (v === undefined || v.trim() === "" ? new BadValue(`a file name, e.g. \`${key}="client.ts"\``) : v),
    syntax: '`title="x.ts"` / `filename=x.ts`',
    description: "a name shown in reports",
  }),
  attr({
    names: ["disable"], field: "disable", scope: "block", merge: "append", reason: true, list: true,
    parse: (v): { rules: string[]; reason?: string } => ({ rules: splitList(v ?? ""), reason: undefined }),
    toBlock: (v) => ({ rules: v.rules, reason: v.reason ?? "" }),
    syntax: '`disable=rule-a reason="…"`',
    description:
      'accept findings of these ids in this block (comment form: `disable rule-a,ts2322,run/threw reason="…"`); lint rules are not run, other findings stay in the report as `info` with the reason. A reason is required',
  }),
  attr({
    names: ["context"], field: "context", scope: "block", merge: "last",
    parse: contextMode,
    syntax: "`context=none`",
    description: "the block sees no earlier block of its page ([page context](#page-context)); setup code still applies. `context=page` is the default",
  }),
  attr({
    names: ["setup"], field: "setup", scope: "block", merge: "last",
    parse: (v): true | BadValue => (v !== undefined && v !== "" && v.toLowerCase() !== "true" ? new BadValue("no value (`setup`)") : true),
    syntax: "`setup`",
    description: "setup code: it runs first on its page and every block sees it ([setup](#setup))",
  }),
  attr({
    names: ["level"], field: "level", scope: "block", merge: "last",
    parse: (v) => {
      const level = (v ?? "").toLowerCase();
      if (!(CHECK_LEVELS as readonly string[]).includes(level)) {
        return new BadValue(`one of ${CHECK_LEVELS.map((l) => `\`level=${l}\``).join(", ")} (the deepest check this block gets)`);
      }
      return level as CheckLevel;
    },
    syntax: "`level=typecheck` (`parse`, `resolve`, `typecheck`, `run`)",
    description:
      "the deepest check this block gets (see [real-world docs](real-world.md#check-levels)): `parse` reports syntax errors only, `resolve` also imports that do not resolve, `typecheck` every type error but never runs the block, `run` overrides a config default. An explicit level satisfies `--strict`",
  }),
  attr({
    names: ["env"], field: "env", scope: "block", merge: "last",
    parse: runEnv,
    syntax: "`env=browser`",
    description:
      "run the block under a DOM implementation (happy-dom or jsdom, from your project): `window`, `document`, `localStorage` and the DOM classes are globals ([browser code](real-world.md#browser-code)). `env=node` (the default) overrides a page or config default",
  }),
  attr({
    names: ["check-js"], field: "checkJs", scope: "block", merge: "last",
    parse: (v) => {
      const mode = (v ?? "").toLowerCase();
      if (!(CHECK_JS_MODES as readonly string[]).includes(mode)) {
        return new BadValue("`off` (syntax only), `typed` (misuse of typed APIs, the default) or `full` (every diagnostic, as `checkJs`)");
      }
      return mode as CheckJsMode;
    },
    syntax: "`check-js=off` (`typed`, `full`)",
    description:
      "how a JavaScript block is type-checked (see [JavaScript blocks](real-world.md#javascript-blocks)): `typed` (the default) reports only misuse of typed APIs, `full` every diagnostic (as TypeScript's `checkJs`, also a `// @ts-check` comment), `off` syntax only (also `// @ts-nocheck`)",
  }),
  attr({
    names: ["disable-file"], field: "disableFile", scope: "page", merge: "first", reason: true,
    parse: (v): { reason?: string } => ({ reason: v }),
    pageOnly: { does: "it skips a whole page only in a comment", hint: 'Put `<!-- validate-docs: disable-file reason="…" -->` at the top of the page.' },
    syntax: '`disable-file reason="…"`',
    description: "skips the whole page; every block is reported as skipped with that reason",
  }),
  attr({
    names: ["context-file"], field: "contextFile", scope: "page", merge: "last",
    parse: contextMode,
    pageOnly: {
      does: "it sets the page's default only in a comment",
      hint: "Put `<!-- validate-docs: context-file=none -->` at the top of the page, or write `context=none` on this block.",
    },
    syntax: "`context-file=none`",
    description: "turns [page context](#page-context) off for the page (`context-file=page` turns it back on where the config turned it off)",
  }),
  attr({
    names: ["env-file"], field: "envFile", scope: "page", merge: "last",
    parse: runEnv,
    pageOnly: {
      does: "it sets the page's default only in a comment",
      hint: "Put `<!-- validate-docs: env-file=browser -->` at the top of the page, or write `env=browser` on this block.",
    },
    syntax: "`env-file=browser`",
    description:
      "runs the page's blocks under a DOM implementation ([browser code](real-world.md#browser-code)); `env=node` on a block keeps that block in plain Node. The config sets it per page glob with `environment`",
  }),
] as const;

export type AnyAttribute = (typeof ATTRIBUTES)[number];
type ValueOf<S> = S extends AttributeSpec<string, infer V, infer M> ? (M extends "append" ? V[] : V) : never;

/** What the attributes of one meta string or comment(s) set, field by field (append fields always present). */
export type AttributeValues = {
  [S in AnyAttribute as S["merge"] extends "append" ? never : S["field"]]?: Exclude<ValueOf<S>, BadValue>;
} & {
  [S in AnyAttribute as S["merge"] extends "append" ? S["field"] : never]: Exclude<ValueOf<S>, BadValue>;
};

/** Names in table order: every attribute (directives in a comment), and the block ones (fence meta). */
export const ALL_NAMES: readonly string[] = ATTRIBUTES.flatMap((a) => a.names);
export const BLOCK_NAMES: readonly string[] = ATTRIBUTES.filter((a) => a.scope === "block").flatMap((a) => a.names);

const BY_NAME = new Map<string, AnyAttribute>(ATTRIBUTES.flatMap((a) => a.names.map((n) => [n, a] as const)));
export function attributeNamed(name: string): AnyAttribute | undefined {
  return BY_NAME.get(name);
}

/** The BlockAttrs fields the table sets (the rest of BlockAttrs: `extra`, and what extract derives). */
export const BLOCK_FIELDS: readonly (keyof BlockAttrs)[] = ATTRIBUTES.filter((a) => a.scope === "block").map((a) => a.field as keyof BlockAttrs);

/** A table of docs/attributes.md: the block attributes (`attributes-table` markers) or page directives (`directives-table`). */
export function attributesMarkdown(scope: "block" | "page"): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const rows = [scope === "block" ? "| attribute | meaning |" : "| directive | meaning |", "| --- | --- |"];
  for (const a of ATTRIBUTES) if (a.scope === scope) rows.push(`| ${cell(a.syntax)} | ${cell(a.description)} |`);
  return rows.join("\n");
}
