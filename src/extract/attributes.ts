// Block attributes: the fence meta (`ts skip="why" title="a.ts"`) and `validate-docs:` directive comments
// share one tokenizer and one interpreter, so the two spellings can never drift apart. What each attribute takes,
// how settings merge and where they land come from the one attribute table (attribute-table.ts).
// Parsing never throws: problems come back as issues that the caller places on the page.

import { closest as closestName } from "../util/suggest.js";
import type { BlockAttrs, Severity } from "../types.js";
import { ALL_NAMES, ATTRIBUTES, BadValue, BLOCK_NAMES, attributeNamed, splitList, type AttributeValues } from "./attribute-table.js";

export { parseDuration } from "./attribute-table.js";

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

/**
 * What one meta string or one comment says, field by field as the attribute table names them (`reason` fields are
 * undefined when none was written).
 */
export type ParsedAttrs = AttributeValues & {
  extra: Record<string, string | true>;
  issues: Issue[];
  /** True when anything block-level was set (used to detect orphan directives). */
  hasBlockDirective: boolean;
};

/** Attributes that set nothing. */
export function emptyAttrs(): ParsedAttrs {
  return { disable: [], extra: {}, issues: [], hasBlockDirective: false };
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
  const out = emptyAttrs();
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
      if (mode === "comment" && attributeNamed(currentName)?.list && current?.rules && token.value === undefined && !isDirective(key)) {
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
            ` Known directives: ${ALL_NAMES.join(", ")}.`,
          hint: "A misspelled directive would silently do nothing, so it is an error; fix the name or remove it.",
        });
      }
    }
  }
  return out;
}

type Handled = false | true | { reason?: string; rules?: string[] };

/** Applies a known attribute from the table; false when `key` names none. */
function applyKnown(out: ParsedAttrs, key: string, token: Token, mode: Mode): Handled {
  const spec = attributeNamed(key);
  if (!spec) return false;
  if (spec.scope === "block") out.hasBlockDirective = true;
  const value = spec.parse(token.value, key);
  if (value instanceof BadValue) {
    out.issues.push({
      ruleId: "extract/bad-attribute",
      severity: "error",
      message: `Bad value for \`${key}\`: \`${token.raw}\`; expected ${value.expected}.`,
    });
    return true;
  }
  if (spec.pageOnly && mode === "meta") {
    out.issues.push({
      ruleId: "extract/bad-attribute",
      severity: "error",
      message: `\`${key}\` has no effect in a fence meta; ${spec.pageOnly.does}.`,
      hint: spec.pageOnly.hint,
    });
    return true;
  }
  const fields = out as unknown as Record<string, unknown>;
  // Within one meta string or comment a repeated attribute replaces the earlier one; the merge rule applies across them.
  if (spec.merge === "append") (fields[spec.field] as unknown[]).push(value);
  else fields[spec.field] = value;
  return spec.reason || spec.list ? (value as { reason?: string; rules?: string[] }) : true;
}

function isDirective(key: string): boolean {
  return (ALL_NAMES as readonly string[]).includes(key) || key === "reason";
}

/** The known name within edit distance 2 of `key`, for "did you mean" (short keys are too noisy). */
function closest(key: string, mode: Mode): string | undefined {
  if (key.length < 3) return undefined;
  const names: readonly string[] = mode === "meta" ? [...BLOCK_NAMES, "reason"] : [...ALL_NAMES, "reason"];
  if (names.includes(key)) return undefined;
  return closestName(key, names, 2);
}

/** Where the final value of an attribute came from, so a finding can point at what the author wrote. */
export type AttrSource = "meta" | "comment";

/**
 * Merges comment attributes with meta attributes by the table's merge rules (meta wins on conflict; `disable` and
 * `extra` accumulate). Returns the merged BlockAttrs plus where `skip` came from.
 */
export function mergeAttrs(comment: ParsedAttrs | undefined, meta: ParsedAttrs): { attrs: BlockAttrs; skipFrom?: AttrSource } {
  const merged = combine([...(comment ? [comment] : []), meta]);
  const attrs: BlockAttrs = { extra: merged.extra };
  const fields = attrs as unknown as Record<string, unknown>;
  for (const spec of ATTRIBUTES) {
    if (spec.scope !== "block") continue;
    const value = (merged as unknown as Record<string, unknown>)[spec.field];
    if (value === undefined) continue;
    const toBlock = (spec as { toBlock?: (v: unknown) => unknown }).toBlock ?? ((v: unknown) => v);
    if (spec.merge === "append") {
      if ((value as unknown[]).length) fields[spec.field] = (value as unknown[]).map(toBlock);
    } else {
      const converted = toBlock(value);
      if (converted !== undefined) fields[spec.field] = converted;
    }
  }
  const skipFrom: AttrSource | undefined = meta.skip ? "meta" : comment?.skip ? "comment" : undefined;
  return { attrs, skipFrom };
}

/** Merges several directive comments in page order (later ones win on conflict). */
export function combineComments(list: ParsedAttrs[]): ParsedAttrs | undefined {
  return list.length === 0 ? undefined : combine(list);
}

/** Settings in order, merged field by field by the table's rules; extra keys: the later wins; issues add up. */
function combine(list: ParsedAttrs[]): ParsedAttrs {
  const out = emptyAttrs();
  const fields = out as unknown as Record<string, unknown>;
  for (const p of list) {
    const from = p as unknown as Record<string, unknown>;
    for (const spec of ATTRIBUTES) {
      const value = from[spec.field];
      if (value === undefined) continue;
      if (spec.merge === "append") (fields[spec.field] as unknown[]).push(...(value as unknown[]));
      else if (spec.merge === "first") fields[spec.field] ??= value;
      else fields[spec.field] = value;
    }
    Object.assign(out.extra, p.extra);
    out.issues.push(...p.issues);
    out.hasBlockDirective ||= p.hasBlockDirective;
  }
  return out;
}
