// One finding per cause (docs/real-world.md): a block that does not parse gets one finding, its first syntax
// error with the count of the others (every later diagnostic, type error or lint finding of an unparsable block is
// an echo of the same cause); and no block yields more than MAX_PER_CODE findings of one rule id, the rest folded
// into a count on the last one shown. Findings are data: the count is kept in `folded`, and said in the message.
import type { Finding } from "../types.js";

export const MAX_PER_CODE = 5;

const isSyntax = (f: Finding) => f.stage === "typecheck" && /^ts1\d{3}$/.test(f.ruleId);
const byPlace = (a: Finding, b: Finding) => a.place.start.offset - b.place.start.offset;

/**
 * `unparsable`: ids of blocks the parser rejects. Their typecheck, lint and run findings are replaced by the first
 * syntax error (extract findings, about the fence and its attributes, are other causes and stay).
 */
export function foldFindings(findings: Finding[], unparsable: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  const byBlock = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.blockId) out.push(f);
    else {
      const list = byBlock.get(f.blockId) ?? [];
      list.push(f);
      byBlock.set(f.blockId, list);
    }
  }
  for (const [blockId, list] of byBlock) {
    let own = list;
    if (unparsable.has(blockId)) {
      const syntax = list.filter((f) => isSyntax(f) && f.severity === "error").sort(byPlace);
      if (syntax.length > 0) {
        const first = syntax[0]!;
        const others = syntax.length - 1;
        const kept: Finding = others === 0 ? first : withCount(first, others, `more syntax error${others === 1 ? "" : "s"} in this block (fix this one first; the rest often go with it)`);
        own = [...list.filter((f) => f.stage === "extract"), kept];
      }
    }
    out.push(...capPerCode(own));
  }
  return out;
}

function capPerCode(list: Finding[]): Finding[] {
  const byRule = new Map<string, Finding[]>();
  for (const f of list) {
    const group = byRule.get(f.ruleId) ?? [];
    group.push(f);
    byRule.set(f.ruleId, group);
  }
  const out: Finding[] = [];
  for (const [ruleId, group] of byRule) {
    if (group.length <= MAX_PER_CODE) {
      out.push(...group);
      continue;
    }
    const sorted = [...group].sort(byPlace);
    const rest = sorted.length - MAX_PER_CODE;
    out.push(...sorted.slice(0, MAX_PER_CODE - 1));
    out.push(withCount(sorted[MAX_PER_CODE - 1]!, rest, `more \`${ruleId}\` finding${rest === 1 ? "" : "s"} in this block not shown`));
  }
  return out;
}

function withCount(f: Finding, count: number, what: string): Finding {
  const folded = (f.folded ?? 0) + count;
  return { ...f, message: `${f.message} (+${count} ${what})`, folded };
}
