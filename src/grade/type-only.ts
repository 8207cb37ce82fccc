// Type-only snippets (`create(params: Params): Promise<Page>`, `{ data: Array<Embedding> }`) are checked as types,
// with two conventions of reference docs set aside: parameters and results written without types (implicit any),
// and type names the page never declares (the library's own types, shown by name). A block with such names is graded
// `parse`, with the names in its stop detail, never `typecheck`: the report does not claim more than was checked.
// A misspelled known name (`strin`, TS2552 "did you mean") is still an error.
import type { Finding } from "../types.js";

const IMPLICIT_ANY = new Set(["ts7005", "ts7006", "ts7008", "ts7010", "ts7031"]);
const UNDECLARED = /^Cannot find (?:name|namespace) '([A-Z][\w$]*)'\.?$/;

export function setAsideTypeOnly(findings: Finding[], typeOnly: ReadonlySet<string>): { findings: Finding[]; undeclared: Map<string, string[]> } {
  const undeclared = new Map<string, string[]>();
  if (typeOnly.size === 0) return { findings, undeclared };
  const kept = findings.filter((f) => {
    if (!f.blockId || !typeOnly.has(f.blockId) || f.stage !== "typecheck") return true;
    if (IMPLICIT_ANY.has(f.ruleId)) return false;
    const name = f.ruleId === "ts2304" || f.ruleId === "ts2503" ? UNDECLARED.exec(f.message)?.[1] : undefined;
    if (!name) return true;
    const names = undeclared.get(f.blockId) ?? [];
    if (!names.includes(name)) names.push(name);
    undeclared.set(f.blockId, names);
    return false;
  });
  return { findings: kept, undeclared };
}
