// Expected findings (`expect-error=2353`, `expect-finding=rule-id`), matched after every stage has reported.
// Expected findings are kept, as severity "info" with the message prefixed "expected: ", so reports show that
// the example still demonstrates what it claims; expectations nothing matched become errors (stale ones are bugs).
import { fencePlace } from "./extract/position.js";
import type { CodeBlock, Finding, Stage } from "./types.js";

/**
 * An unresolved name without and with "did you mean …?". TypeScript makes at most 10 such suggestions per checker
 * and every block shares one program, so which of the two a name gets depends on the blocks checked before it: the
 * baseline (src/baseline.ts) matches a known failure under either.
 */
export const SUGGESTION_BUDGET_CODES: readonly (readonly [plain: number, suggested: number])[] = [[2304, 2552]];

/**
 * TypeScript codes that name one error differently across versions (TS 6 vs the native TS 7 checker) or with a
 * spelling suggestion ("did you mean …"). `expect-error=C` accepts a finding whose code shares a group with C,
 * unless that code is itself listed in the same annotation. Groups are not transitive: 2345 and 2322 never match.
 */
export const EQUIVALENT_TS_CODES: readonly (readonly number[])[] = [
  [2322, 2739, 2740, 2741, 2559], // type not assignable ↔ missing properties ↔ no properties in common
  [2345, 2739, 2740, 2741, 2559], // argument not assignable ↔ the same elaborations
  [2353, 2561], // excess property ↔ excess property, did you mean
  [2339, 2551], // property does not exist ↔ …, did you mean
  ...SUGGESTION_BUDGET_CODES, // cannot find name ↔ …, did you mean
  [2305, 2724], // module has no exported member ↔ …, did you mean
  [2307, 2792], // cannot find module ↔ …, did you mean to set moduleResolution
  [2554, 2555], // expected N arguments ↔ expected at least N arguments
];

export function areEquivalentCodes(a: number, b: number): boolean {
  return a === b || EQUIVALENT_TS_CODES.some((group) => group.includes(a) && group.includes(b));
}

export interface ExpectOptions {
  /**
   * Stages that ran. An expectation for a stage that did not run is neither satisfied nor reported missing.
   * Default: every stage.
   */
  stages?: readonly Stage[];
}

/** The stage that reports a rule id: `ts2353` → typecheck, `run/threw` → run, anything else → lint. */
export function stageOfRule(ruleId: string): Stage {
  if (/^ts\d+$/.test(ruleId)) return "typecheck";
  const prefix = ruleId.split("/")[0];
  if (prefix === "run" || prefix === "extract" || prefix === "template") return prefix;
  return "lint";
}

function tsCode(ruleId: string): number | undefined {
  const m = /^ts(\d+)$/.exec(ruleId);
  return m ? Number(m[1]) : undefined;
}

/**
 * Applies every block's `expectError` and `expectFinding` to the findings of all stages and returns the new list:
 * matched findings become "info" ("expected: …"), each unmatched expectation adds an `expect/missing-error` or
 * `expect/missing-finding` error at the fence, and unexpected TypeScript errors get a hint naming the annotation
 * that would accept them. The input array is not modified.
 */
export function applyExpectations(blocks: CodeBlock[], findings: Finding[], options: ExpectOptions = {}): Finding[] {
  const ran = (stage: Stage) => options.stages === undefined || options.stages.includes(stage);
  const byBlock = new Map<string, number[]>();
  findings.forEach((f, i) => {
    if (f.blockId === undefined) return;
    const list = byBlock.get(f.blockId) ?? [];
    list.push(i);
    byBlock.set(f.blockId, list);
  });

  const out = findings.map((f) => ({ ...f }));
  const matched = new Set<number>();
  const added: Finding[] = [];

  for (const block of blocks) {
    const own = byBlock.get(block.id) ?? [];
    const expectError = block.attrs.expectError ?? [];
    const expectFinding = block.attrs.expectFinding ?? [];
    const checkMissing = block.attrs.skip === undefined;

    for (const code of expectError) {
      const hits = matchCode(out, own, code, expectError);
      hits.forEach((i) => matched.add(i));
      if (hits.length === 0 && checkMissing && ran("typecheck")) added.push(missingError(block, code, out, own));
    }
    for (const ruleId of expectFinding) {
      const hits = own.filter((i) => out[i]!.ruleId === ruleId);
      hits.forEach((i) => matched.add(i));
      if (hits.length === 0 && checkMissing && ran(stageOfRule(ruleId))) added.push(missingFinding(block, ruleId));
    }

    for (const i of own) {
      const f = out[i]!;
      if (matched.has(i)) {
        f.severity = "info";
        f.message = `expected: ${f.message}`;
        continue;
      }
      const code = tsCode(f.ruleId);
      if (code !== undefined && f.severity === "error") f.hint = joinHint(f.hint, acceptHint(block, code));
    }
  }
  return [...out, ...added];
}

/** Exact matches first; an equivalent code only counts when that code is not itself expected in the block. */
function matchCode(findings: Finding[], own: number[], code: number, expected: number[]): number[] {
  const exact = own.filter((i) => tsCode(findings[i]!.ruleId) === code);
  if (exact.length > 0) return exact;
  return own.filter((i) => {
    const other = tsCode(findings[i]!.ruleId);
    return other !== undefined && !expected.includes(other) && areEquivalentCodes(code, other);
  });
}

function annotation(block: CodeBlock, codes: number[]): string {
  return `${block.lang} expect-error=${codes.join(",")}`;
}

function acceptHint(block: CodeBlock, code: number): string {
  const codes = [...new Set([...(block.attrs.expectError ?? []), code])];
  return `if this error is intended, mark the fence \`${annotation(block, codes)}\``;
}

function joinHint(a: string | undefined, b: string): string {
  return a ? `${a}\n${b}` : b;
}

function missingError(block: CodeBlock, code: number, findings: Finding[], own: number[]): Finding {
  const others = [
    ...new Set(own.map((i) => tsCode(findings[i]!.ruleId)).filter((c): c is number => c !== undefined)),
  ];
  const rest = (block.attrs.expectError ?? []).filter((c) => c !== code);
  const remove = rest.length > 0 ? `change the fence to \`${annotation(block, rest)}\`` : "remove `expect-error`";
  let what: string;
  if (others.length > 0) {
    what = `expected TS${code} in this block but TypeScript reports ${others.map((c) => `TS${c}`).join(", ")} instead`;
  } else if (block.kind === "js") {
    what = `expected TS${code} in this block but it reports no type error (a JavaScript block reports only misuse of typed APIs unless it is checked with \`check-js=full\`)`;
  } else {
    what = `expected TS${code} in this block but it type-checks`;
  }
  return {
    stage: "typecheck",
    ruleId: "expect/missing-error",
    severity: "error",
    message: `${what}; a stale expectation hides a changed API. Fix the example so it shows the error, or ${remove}.`,
    page: block.page,
    blockId: block.id,
    place: fencePlace(block),
  };
}

function missingFinding(block: CodeBlock, ruleId: string): Finding {
  return {
    stage: stageOfRule(ruleId),
    ruleId: "expect/missing-finding",
    severity: "error",
    message:
      `expected a \`${ruleId}\` finding in this block but none was reported; ` +
      `fix the example so it shows the problem, or remove \`${ruleId}\` from \`expect-finding\`.`,
    page: block.page,
    blockId: block.id,
    place: fencePlace(block),
  };
}
