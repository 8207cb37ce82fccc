// The run side of placeholders (src/grade/placeholders.ts decides what they are and their neutral values): the run's
// copy of a block with each placeholder literal replaced, the example's environment, and whether an exception is
// the library rejecting a neutral value (not a doc bug) rather than a bug of the example.
// No compiler here: the run worker imports this module.
import type { PlannedSubstitute } from "../grade/placeholders.js";
import type { Substitute } from "../types.js";
import { BLOCK_SOURCE_PREFIX, type ErrorInfo } from "./protocol.js";

/** The reserved host (RFC 2606: `.invalid` never resolves) of every address a substitute names. */
export const PLACEHOLDER_HOST = "placeholder.invalid";

/**
 * The block's code with each placeholder literal replaced by a call of a function declared after the block's last
 * line (`'<your-endpoint>'` → `$vd0()` padded with spaces to the literal's length): every line and column of the
 * block stays where it was, so frames and findings still point at the reader's text, and a function declaration is
 * hoisted, so the value exists wherever the literal stood. A block that already uses the `$vd` prefix keeps its text.
 */
export function substituteCode(code: string, subs: readonly PlannedSubstitute[] | undefined): string {
  const literals = (subs ?? []).filter((s) => s.span).sort((a, b) => b.span!.start - a.span!.start);
  if (literals.length === 0 || code.includes("$vd")) return code;
  let out = code;
  const decls: string[] = [];
  literals.forEach((s, i) => {
    const call = `$vd${i}()`;
    const { start, end } = s.span!;
    if (call.length > end - start || code.slice(start, end).includes("\n")) return; // a literal shorter than the call (placeholders are ≥ 7 characters) or on several lines keeps its text
    out = out.slice(0, start) + call.padEnd(end - start, " ") + out.slice(end);
    decls.push(`function $vd${i}() { return ${JSON.stringify(s.value)}; }`);
  });
  return decls.length ? `${out}\n${decls.join(" ")}\n` : out;
}

/** The variables set in the example's environment for unset `process.env.X` placeholders. */
export function substituteEnv(subs: Iterable<readonly PlannedSubstitute[] | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const list of subs) for (const s of list ?? []) if (s.env) env[s.env] = s.value;
  return env;
}

/** The texts that show an exception is about a placeholder: each neutral value, the placeholder itself, the reserved host. */
function telltales(subs: readonly Substitute[]): string[] {
  const out = new Set<string>();
  for (const s of subs) {
    out.add(s.value);
    if (!s.placeholder.startsWith("process.env.")) out.add(s.placeholder.slice(1, -1));
    if (s.value.includes(PLACEHOLDER_HOST)) out.add(PLACEHOLDER_HOST);
  }
  return [...out];
}

/** The innermost frame of the exception's stack is in a block (the example's own `throw`, or code of the page). */
function thrownByBlock(error: ErrorInfo): boolean {
  const first = /^\s*at .*$/m.exec(error.stack)?.[0];
  return first !== undefined && first.includes(BLOCK_SOURCE_PREFIX);
}

/**
 * The substitute a library rejected: the exception was thrown outside the page's blocks (in a dependency or in
 * Node), and its message (or text, or the `input` Node's URL errors carry) names a neutral value, the placeholder,
 * or the reserved host. An exception that names none of them (a method that does not exist, a wrong argument), or
 * that the example's own code throws, stays an error.
 */
export function rejectedSubstitute(error: ErrorInfo, subs: readonly Substitute[]): Substitute | undefined {
  if (subs.length === 0 || thrownByBlock(error)) return undefined;
  const texts = [error.message, error.text, error.input ?? ""];
  const hit = telltales(subs).find((t) => texts.some((x) => x.includes(t)));
  if (hit === undefined) return undefined;
  return subs.find((s) => s.value === hit || s.placeholder.slice(1, -1) === hit || s.value.includes(hit)) ?? subs[0];
}

/** Substitutes as the report shows them (no offsets, no variable). */
export function publicSubstitutes(subs: readonly PlannedSubstitute[]): Substitute[] {
  return subs.map((s) => ({ placeholder: s.placeholder, value: s.value, line: s.line }));
}
