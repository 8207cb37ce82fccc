// Names a block uses that neither it, its page context nor any import declares (`axios` in a fragment whose page never
// imports it, a placeholder `User`). The checker could not check what such a name stands for, so the block is graded
// `resolve` ("undeclared-name", naming them), never `typecheck` — page context is what lifts fragments to
// `typecheck`. A TypeScript block keeps its TS2304 errors; a JavaScript block checked in `typed` mode does not report
// them (a JS reader gets no such compile error: if the name matters, running the block throws a ReferenceError, and
// the run stage reports that), so they are set aside here, before the run's echoes are matched against them.
import type { Finding } from "../types.js";
import { UNDECLARED_CODES } from "../typecheck/index.js";

const NAME = /^Cannot find (?:name|namespace) '([^']+)'|^No value exists in scope for the shorthand property '([^']+)'/;

export function setAsideUndeclared(findings: Finding[], jsTyped: ReadonlySet<string>): { findings: Finding[]; undeclared: Map<string, string[]> } {
  const undeclared = new Map<string, string[]>();
  const kept = findings.filter((f) => {
    const code = f.stage === "typecheck" && f.blockId ? /^ts(\d+)$/.exec(f.ruleId)?.[1] : undefined;
    if (code === undefined || !UNDECLARED_CODES.has(Number(code))) return true;
    const match = NAME.exec(f.message);
    const name = match?.[1] ?? match?.[2];
    if (name) {
      const names = undeclared.get(f.blockId!) ?? [];
      if (!names.includes(name)) names.push(name);
      undeclared.set(f.blockId!, names);
    }
    return !jsTyped.has(f.blockId!);
  });
  return { findings: kept, undeclared };
}
