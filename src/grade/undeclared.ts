// Names a block uses that neither it, its page context nor any import declares (`axios` in a fragment whose page never
// imports it, a placeholder `User`). The checker could not check what such a name stands for, so the block is graded
// `resolve` ("undeclared-name", naming them), never `typecheck` — page context is what lifts fragments to
// `typecheck`. A TypeScript block keeps its TS2304 errors; a JavaScript block checked in `typed` mode does not report
// them (a JS reader gets no such compile error), so they are set aside here, before the run's echoes are matched
// against them. Running such a fragment throws a ReferenceError at the first of those names: that is the same cause
// the grade already names, so it is kept as an `info` finding, not an error (fragmentReferenceErrors) — unless the
// checker suggested a declared name (`loger`: "Did you mean 'logger'?"), which is a misspelling, a real bug.
import type { Finding } from "../types.js";
import { UNDECLARED_CODES } from "../typecheck/index.js";

const NAME = /^Cannot find (?:name|namespace) '([^']+)'|^No value exists in scope for the shorthand property '([^']+)'/;

export function setAsideUndeclared(
  findings: Finding[],
  jsTyped: ReadonlySet<string>,
): { findings: Finding[]; undeclared: Map<string, string[]>; misspelled: Set<string> } {
  const undeclared = new Map<string, string[]>();
  /** `blockId name` of undeclared names the checker matched to a declared one ("Did you mean …?"). */
  const misspelled = new Set<string>();
  const kept = findings.filter((f) => {
    const code = f.stage === "typecheck" && f.blockId ? /^ts(\d+)$/.exec(f.ruleId)?.[1] : undefined;
    if (code === undefined || !UNDECLARED_CODES.has(Number(code))) return true;
    const match = NAME.exec(f.message);
    const name = match?.[1] ?? match?.[2];
    if (name && /Did you mean/.test(f.message)) misspelled.add(`${f.blockId} ${name}`);
    if (name) {
      const names = undeclared.get(f.blockId!) ?? [];
      if (!names.includes(name)) names.push(name);
      undeclared.set(f.blockId!, names);
    }
    return !jsTyped.has(f.blockId!);
  });
  return { findings: kept, undeclared, misspelled };
}

const REFERENCE_ERROR = /^Uncaught ReferenceError: (\S+) is not defined/;

/**
 * The ReferenceError a JavaScript fragment throws at a name that no block of its page, no page context and no import
 * declares (`pino(…)` in an API page that never imports pino): the echo of its `undeclared-name` grade, kept as
 * `info`. Only in `check-js=typed` JavaScript blocks (a TypeScript block reports the name as TS2304 and the echo is
 * dropped), only for a name the checker found declared nowhere, never for a misspelling of a declared name.
 */
export function fragmentReferenceErrors(
  findings: Finding[],
  jsTyped: ReadonlySet<string>,
  undeclared: ReadonlyMap<string, readonly string[]>,
  misspelled: ReadonlySet<string>,
): Finding[] {
  return findings.map((f) => {
    if (f.ruleId !== "run/threw" || f.severity !== "error" || !f.blockId || !jsTyped.has(f.blockId)) return f;
    const name = REFERENCE_ERROR.exec(f.message)?.[1];
    if (!name || !undeclared.get(f.blockId)?.includes(name) || misspelled.has(`${f.blockId} ${name}`)) return f;
    return {
      ...f,
      severity: "info" as const,
      message:
        `Uncaught ReferenceError: ${name} is not defined. \`${name}\` is declared by no block of this page, no page context and no import: ` +
        "the block is a fragment (graded `resolve`, reason `undeclared-name`), so running it could not check more than that. " +
        `To run it, declare \`${name}\` in hidden setup (see docs/real-world.md, "Setup the reader does not see").`,
    };
  });
}
