// Block attributes: the fence meta (`ts skip="why" title="a.ts"`) and `validate-docs:` directive comments
// share one tokenizer and one interpreter, so the two spellings can never drift apart.
// Parsing never throws: problems come back as issues that the caller places on the page.

import { closest as closestName } from "../util/suggest.js";
import type { BlockAttrs, CheckLevel, Severity } from "../types.js";
import { CHECK_LEVELS } from "../types.js";

export interface Issue {
  ruleId: string;
  severity: Severity;
  message: string;
  hint?: string;
}

export interface Token {
  key: string;
  /** undefined for a bare token (`no-run`); the unquoted value otherwise. */
  value?: string;
  raw: string;
}

/** Keys a fence meta or a directive comment can set on a block. */
export const BLOCK_KEYS = [
  "skip",
  "no-run",
  "expect-error",
  "expect-finding",
  "expect-throw",
  "timeout",
  "title",
  "filename",
  "disable",
  "context",
  "setup",
  "level",
] as const;
/** Directive names accepted in a `validate-docs:` comment. */
export const DIRECTIVES = [...BLOCK_KEYS, "disable-file", "context-file"] as const;

/** What one meta string or one comment says. `reason` fields are undefined when none was written. */
export interface ParsedAttrs {
  skip?: { reason?: string };
  noRun?: boolean;
  expectError?: number[];
  expectFinding?: string[];
  expectThrow?: string | true;
  timeout?: number;
  title?: string;
  level?: CheckLevel;
  disable: { rules: string[]; reason?: string }[];
  disableFile?: { reason?: string };
  context?: "page" | "none";
  setup?: boolean;
  /** `context-file=none|page`: the page's default for `context`. */
  contextFile?: "page" | "none";
  extra: Record<string, string | true>;
  issues: Issue[];
  /** True when anything block-level was set (used to detect orphan directives). */
  hasBlockDirective: boolean;
}

type Mode = "meta" | "comment";

/**
 * Splits attribute text into statements of tokens. Tokens are separated by whitespace; a value may be
 * quoted with " or '; `{1,3-4}` (highlight ranges) is one token even with spaces inside. In comments,
 * `;` and line breaks outside quotes end a statement.
 */
export function tokenize(text: string, mode: Mode): { statements: Token[][]; issues: Issue[] } {
  const statements: Token[][] = [[]];
  const issues: Issue[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === ";" || ch === "\n" || ch === "\r") {
      if (mode === "comment" && statements[statements.length - 1].length > 0) statements.push([]);
      i++;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === "{") {
      const close = text.indexOf("}", i);
      i = close === -1 ? n : close + 1;
      const raw = text.slice(start, i);
      statements[statements.length - 1].push({ key: raw, raw });
      continue;
    }
    while (i < n && !/[\s=;]/.test(text[i])) i++;
    const key = text.slice(start, i);
    let value: string | undefined;
    if (text[i] === "=") {
      i++;
      const q = text[i];
      if (q === '"' || q === "'") {
        const close = text.indexOf(q, i + 1);
        if (close === -1) {
          issues.push({
            ruleId: "extract/bad-attribute",
            severity: "error",
            message: `The value of \`${key}\` opens a ${q} quote that is never closed; the rest of the text was taken as its value.`,
            hint: `Close the quote: ${key}=${q}…${q}`,
          });
          value = text.slice(i + 1);
          i = n;
        } else {
          value = text.slice(i + 1, close);
          i = close + 1;
        }
      } else {
        const vs = i;
        while (i < n && !/[\s;]/.test(text[i])) i++;
        value = text.slice(vs, i);
      }
    }
    if (key === "" && value === undefined) {
      i++;
      continue;
    }
    statements[statements.length - 1].push({ key, value, raw: text.slice(start, i) });
  }
  return { statements: statements.filter((s) => s.length > 0), issues };
}

/** Parses a fence meta string (everything after the language). Unknown keys go to `extra`. */
export function parseMeta(meta: string | null | undefined): ParsedAttrs {
  return interpret(meta ?? "", "meta");
}

/** Parses the text after `validate-docs:` in a comment. Unknown names are `extract/unknown-directive` errors. */
export function parseDirectiveText(text: string): ParsedAttrs {
  return interpret(text, "comment");
}

function interpret(text: string, mode: Mode): ParsedAttrs {
  const out: ParsedAttrs = { disable: [], extra: {}, issues: [], hasBlockDirective: false };
  const { statements, issues } = tokenize(text, mode);
  out.issues.push(...issues);
  // In a meta string the whole text is one statement, so `skip reason="…"` binds across tokens.
  let current: { reason?: string; rules?: string[] } | undefined;
  let currentName = "";
  for (const statement of statements) {
    if (mode === "comment") current = undefined;
    for (const token of statement) {
      const key = token.key.toLowerCase();
      if (key === "reason" && current) {
        current.reason = token.value ?? "";
        continue;
      }
      if (mode === "comment" && currentName === "disable" && current?.rules && token.value === undefined && !isDirective(key)) {
        current.rules.push(...splitList(token.key));
        continue;
      }
      const handled = applyKnown(out, key, token, mode);
      if (handled) {
        currentName = key;
        current = handled === true ? undefined : handled;
        continue;
      }
      current = undefined;
      currentName = "";
      if (mode === "meta") {
        out.extra[token.key] = token.value ?? true;
        const near = token.key.startsWith("{") ? undefined : closest(key, mode);
        if (near) {
          out.issues.push({
            ruleId: "extract/unknown-attribute",
            severity: "warning",
            message: `Unknown fence attribute \`${token.key}\`; did you mean \`${near}\`? It was kept as an extra attribute and has no effect on checking.`,
            hint: `Write \`${near}\` if that is what you meant; otherwise rename the attribute so it is not mistaken for a typo.`,
          });
        }
      } else if (key === "reason") {
        out.issues.push({
          ruleId: "extract/bad-attribute",
          severity: "error",
          message: "`reason=` must follow `skip`, `disable` or `disable-file` in the same directive.",
          hint: 'Write e.g. `<!-- validate-docs: skip reason="needs a live API key" -->`.',
        });
      } else {
        const near = closest(key, mode);
        out.issues.push({
          ruleId: "extract/unknown-directive",
          severity: "error",
          message:
            `Unknown validate-docs directive \`${token.key}\`` +
            (near ? `; did you mean \`${near}\`?` : ".") +
            ` Known directives: ${DIRECTIVES.join(", ")}.`,
          hint: "A misspelled directive would silently do nothing, so it is an error; fix the name or remove it.",
        });
      }
    }
  }
  return out;
}

type Handled = false | true | { reason?: string; rules?: string[] };

function applyKnown(out: ParsedAttrs, key: string, token: Token, mode: Mode): Handled {
  const v = token.value;
  const bad = (expected: string): true => {
    out.issues.push({
      ruleId: "extract/bad-attribute",
      severity: "error",
      message: `Bad value for \`${key}\`: \`${token.raw}\`; expected ${expected}.`,
    });
    return true;
  };
  switch (key) {
    case "skip": {
      out.hasBlockDirective = true;
      out.skip = { reason: v };
      return out.skip;
    }
    case "no-run": {
      out.hasBlockDirective = true;
      if (v === undefined || v === "" || v.toLowerCase() === "true") out.noRun = true;
      else if (v.toLowerCase() === "false") out.noRun = false;
      else return bad("no value (`no-run`), or `true`/`false`");
      return true;
    }
    case "expect-error": {
      out.hasBlockDirective = true;
      const items = splitList(v ?? "");
      const codes = items.map((s) => /^(?:ts)?(\d{1,6})$/i.exec(s)).map((m) => (m ? Number(m[1]) : NaN));
      if (items.length === 0 || codes.some((c) => !Number.isInteger(c))) {
        return bad("TypeScript error codes separated by commas, e.g. `expect-error=2353,2345` (`TS2353` also works)");
      }
      out.expectError = codes;
      return true;
    }
    case "expect-finding": {
      out.hasBlockDirective = true;
      const ids = splitList(v ?? "");
      if (ids.length === 0 || ids.some((s) => !/^[@a-z0-9][a-z0-9@/_.-]*$/i.test(s))) {
        return bad("rule ids separated by commas, e.g. `expect-finding=no-init-instrumentors,ts2353`");
      }
      out.expectFinding = ids;
      return true;
    }
    case "expect-throw": {
      out.hasBlockDirective = true;
      out.expectThrow = v === undefined || v === "" ? true : v;
      return true;
    }
    case "timeout": {
      out.hasBlockDirective = true;
      const ms = parseDuration(v);
      if (ms === undefined) return bad("a positive duration in milliseconds, e.g. `timeout=5000`, or with a unit: `5000ms`, `5s`, `1m`");
      out.timeout = ms;
      return true;
    }
    case "title":
    case "filename": {
      out.hasBlockDirective = true;
      if (v === undefined || v.trim() === "") return bad(`a file name, e.g. \`${key}="client.ts"\``);
      out.title = v;
      return true;
    }
    case "level": {
      out.hasBlockDirective = true;
      const level = (v ?? "").toLowerCase();
      if (!(CHECK_LEVELS as readonly string[]).includes(level)) return bad(`one of ${CHECK_LEVELS.map((l) => `\`level=${l}\``).join(", ")} (the deepest check this block gets)`);
      out.level = level as CheckLevel;
      return true;
    }
    case "disable": {
      out.hasBlockDirective = true;
      const entry = { rules: splitList(v ?? ""), reason: undefined as string | undefined };
      out.disable.push(entry);
      return entry;
    }
    case "context":
    case "context-file": {
      if (key === "context") out.hasBlockDirective = true;
      const value = v?.toLowerCase();
      if (value !== "none" && value !== "page") return bad("`none` (the block sees no earlier block of its page) or `page` (the default)");
      if (key === "context") out.context = value;
      else if (mode === "meta") {
        out.issues.push({
          ruleId: "extract/bad-attribute",
          severity: "error",
          message: "`context-file` has no effect in a fence meta; it sets the page's default only in a comment.",
          hint: "Put `<!-- validate-docs: context-file=none -->` at the top of the page, or write `context=none` on this block.",
        });
      } else out.contextFile = value;
      return true;
    }
    case "setup": {
      out.hasBlockDirective = true;
      if (v !== undefined && v !== "" && v.toLowerCase() !== "true") return bad("no value (`setup`)");
      out.setup = true;
      return true;
    }
    case "disable-file": {
      if (mode === "meta") {
        out.issues.push({
          ruleId: "extract/bad-attribute",
          severity: "error",
          message: "`disable-file` has no effect in a fence meta; it skips a whole page only in a comment.",
          hint: 'Put `<!-- validate-docs: disable-file reason="…" -->` at the top of the page.',
        });
        return true;
      }
      out.disableFile = { reason: v };
      return out.disableFile;
    }
    default:
      return false;
  }
}

function isDirective(key: string): boolean {
  return (DIRECTIVES as readonly string[]).includes(key) || key === "reason";
}

function splitList(text: string): string[] {
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

/** The known name within edit distance 2 of `key`, for "did you mean" (short keys are too noisy). */
function closest(key: string, mode: Mode): string | undefined {
  if (key.length < 3) return undefined;
  const names: readonly string[] = mode === "meta" ? [...BLOCK_KEYS, "reason"] : [...DIRECTIVES, "reason"];
  if (names.includes(key)) return undefined;
  return closestName(key, names, 2);
}

/** Where the final value of an attribute came from, so a finding can point at what the author wrote. */
export type AttrSource = "meta" | "comment";

/**
 * Merges comment attributes with meta attributes (meta wins on conflict; `disable` and `extra` accumulate).
 * Returns the merged BlockAttrs plus where `skip` came from.
 */
export function mergeAttrs(comment: ParsedAttrs | undefined, meta: ParsedAttrs): { attrs: BlockAttrs; skipFrom?: AttrSource } {
  const attrs: BlockAttrs = { extra: { ...(comment?.extra ?? {}), ...meta.extra } };
  let skipFrom: AttrSource | undefined;
  for (const [from, p] of [["comment", comment], ["meta", meta]] as const) {
    if (!p) continue;
    if (p.skip) {
      attrs.skip = p.skip.reason ?? "";
      skipFrom = from;
    }
    if (p.noRun !== undefined) attrs.noRun = p.noRun;
    if (p.expectError) attrs.expectError = p.expectError;
    if (p.expectFinding) attrs.expectFinding = p.expectFinding;
    if (p.expectThrow !== undefined) attrs.expectThrow = p.expectThrow;
    if (p.timeout !== undefined) attrs.timeout = p.timeout;
    if (p.title !== undefined) attrs.title = p.title;
    if (p.context !== undefined) attrs.context = p.context;
    if (p.setup) attrs.setup = true;
    if (p.level !== undefined) attrs.level = p.level;
    for (const d of p.disable) (attrs.disable ??= []).push({ rules: d.rules, reason: d.reason ?? "" });
  }
  if (attrs.noRun === false) delete attrs.noRun;
  return { attrs, skipFrom };
}

/** Merges several directive comments in page order (later ones win on conflict). */
export function combineComments(list: ParsedAttrs[]): ParsedAttrs | undefined {
  if (list.length === 0) return undefined;
  const out: ParsedAttrs = { disable: [], extra: {}, issues: [], hasBlockDirective: false };
  for (const p of list) {
    out.skip = p.skip ?? out.skip;
    out.noRun = p.noRun ?? out.noRun;
    out.expectError = p.expectError ?? out.expectError;
    out.expectFinding = p.expectFinding ?? out.expectFinding;
    out.expectThrow = p.expectThrow ?? out.expectThrow;
    out.timeout = p.timeout ?? out.timeout;
    out.title = p.title ?? out.title;
    out.context = p.context ?? out.context;
    out.setup = p.setup ?? out.setup;
    out.contextFile = p.contextFile ?? out.contextFile;
    out.level = p.level ?? out.level;
    out.disableFile ??= p.disableFile;
    out.disable.push(...p.disable);
    Object.assign(out.extra, p.extra);
    out.issues.push(...p.issues);
    out.hasBlockDirective ||= p.hasBlockDirective;
  }
  return out;
}
