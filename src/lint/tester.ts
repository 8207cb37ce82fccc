// RuleTester: valid / invalid case tables for built-in and user rules. Cases are compiled by the real program
// builder in a temp project (with extra files such as node_modules/pkg/index.d.ts), so type-aware rules are tested
// against the real checker; cases with the same files share one project and one program, each case its own module.
// Positions are block-local (line 1 = first code line).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "../typescript.cjs";
import { builtinRules } from "../../rules/index.js";
import { finishBlock } from "../extract/block.js";
import { createBlockProgram } from "../typecheck/program.js";
import type { BlockProgram } from "../typecheck/program-types.js";
import type { CodeBlock, Finding, LineShift } from "../types.js";
import { resolveRules } from "./config.js";
import { lintBlock, messageIdOf } from "./engine.js";
import { applyFixes } from "./fix.js";
import type { AnyRule, Rule } from "./types.js";

export interface ValidCase {
  code: string;
  /** Name shown by the test runner (default: the code). */
  name?: string;
  options?: Record<string, unknown>;
  /** Extra files of the temp project, relative to its root (`node_modules/pkg/index.d.ts`, `tsconfig.json`). */
  files?: Record<string, string>;
  /** Block language (default `ts`). */
  lang?: "ts" | "tsx" | "mts" | "js" | "mjs";
}

export interface ExpectedError<M extends string = string> {
  /** A key of the rule's `meta.messages` (type-checked when the rule comes from defineRule). */
  messageId: M;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface InvalidCase<M extends string = string> extends ValidCase {
  errors: ExpectedError<M>[];
  /** The code after applying the reported fixes (omit when the rule does not fix this case). */
  output?: string;
}

export interface RuleCases<M extends string = string> {
  valid: (ValidCase | string)[];
  invalid: InvalidCase<M>[];
}

export interface CaseResult {
  errors: (ExpectedError & { message: string })[];
  /** The code after applying every fix reported. */
  output: string;
  /** Type errors in the case, shown when an assertion fails (a broken case often explains a surprise). */
  diagnostics: string[];
}

type Register = (name: string, fn: () => void) => void;

export interface RuleTesterOptions {
  /** Test-framework hooks; default: globals `describe` / `it` when present, else cases run immediately. */
  describe?: Register;
  it?: Register;
}

export class RuleTester {
  constructor(private readonly hooks: RuleTesterOptions = {}) {}

  /**
   * Registers one test per case (or runs them at once without a framework); throws on the first mismatch.
   * The cases are compiled together when the first of them runs: one temp project and one program for all cases
   * with the same `files` and language family (see checkRuleCases).
   */
  run<O, M extends string = string>(ruleOrId: Rule<O, M> | string, cases: RuleCases<M>): void {
    const rule = toRule(ruleOrId);
    const g = globalThis as { describe?: Register; it?: Register };
    const describe = this.hooks.describe ?? g.describe ?? ((_: string, fn: () => void) => fn());
    const it = this.hooks.it ?? g.it ?? ((_: string, fn: () => void) => fn());
    const valid = cases.valid.map((c) => (typeof c === "string" ? { code: c } : c));
    const all: ValidCase[] = [...valid, ...cases.invalid];
    let results: (CaseResult | Error)[] | undefined;
    const resultOf = (i: number): CaseResult => {
      results ??= checkRuleCases(rule, all);
      const result = results[i];
      if (result instanceof Error) throw result;
      return result;
    };
    describe(rule.id, () => {
      describe("valid", () => {
        valid.forEach((item, i) => it(item.name ?? item.code, () => assertValid(resultOf(i))));
      });
      describe("invalid", () => {
        cases.invalid.forEach((c, i) => it(c.name ?? c.code, () => assertInvalid(c, () => resultOf(valid.length + i))));
      });
    });
  }
}
/** Function form of RuleTester#run. */
export function runRuleTests<O, M extends string = string>(rule: Rule<O, M> | string, cases: RuleCases<M>, hooks?: RuleTesterOptions): void {
  new RuleTester(hooks).run(rule, cases);
}

function toRule<O, M extends string>(ruleOrId: Rule<O, M> | string): AnyRule {
  if (typeof ruleOrId !== "string") return ruleOrId as unknown as AnyRule;
  const rule = builtinRules[ruleOrId];
  if (!rule) throw new Error(`RuleTester: no built-in rule "${ruleOrId}"`);
  return rule;
}

function assertValid(result: CaseResult): void {
  if (result.errors.length > 0) {
    throw new Error(`expected no findings, got:\n${result.errors.map(show).join("\n")}${diag(result)}`);
  }
}

function assertInvalid(c: InvalidCase, check: () => CaseResult): void {
  if (c.errors.length === 0) throw new Error("an invalid case must list at least one expected error");
  const result = check();
  const actual = result.errors.map(({ message: _m, ...e }) => e);
  const same =
    actual.length === c.errors.length &&
    actual.every((a, i) => (Object.keys(a) as (keyof ExpectedError)[]).every((k) => a[k] === c.errors[i][k]));
  if (!same) {
    throw new Error(
      `findings differ.\nexpected:\n${c.errors.map(show).join("\n")}\nactual:\n${result.errors.map(show).join("\n") || "(none)"}${diag(result)}`,
    );
  }
  const expectedOutput = c.output ?? c.code;
  if (result.output !== expectedOutput) {
    throw new Error(`fixed output differs.\nexpected:\n${expectedOutput}\nactual:\n${result.output}`);
  }
}

function show(e: ExpectedError & { message?: string }): string {
  return `  ${e.messageId} ${e.line}:${e.column}-${e.endLine}:${e.endColumn}${e.message ? `  ${e.message}` : ""}`;
}

function diag(result: CaseResult): string {
  return result.diagnostics.length ? `\ntype errors in the case:\n  ${result.diagnostics.join("\n  ")}` : "";
}

/** Compiles one case in a temp project and runs one rule on it. Exposed for custom harnesses. */
export function checkRuleCase(rule: AnyRule, c: ValidCase): CaseResult {
  const [result] = checkRuleCases(rule, [c]);
  if (result instanceof Error) throw result;
  return result;
}

/**
 * Checks many cases of one rule, each result (or the error that case raised) at its case's index. A program costs
 * the parse, bind and global merge of every lib file, so cases share one temp project and one program when they
 * can: the same `files` (hence the same tsconfig and node_modules) and the same language family (`checkJs` is
 * per program). Each case is its own block, a module file of its own (moduleDetection: force), so cases do not
 * see each other's names; a case that could change the global scope for the others (`declare global`,
 * `declare module`, a triple-slash directive) gets a program of its own.
 */
export function checkRuleCases(rule: AnyRule, cases: readonly ValidCase[]): (CaseResult | Error)[] {
  const groups = new Map<string, number[]>();
  cases.forEach((c, i) => {
    const js = isJs(c.lang ?? "ts");
    const alone = /\bdeclare\s+(global|module)\b|^\s*\/\/\/\s*</m.test(c.code);
    const key = JSON.stringify([c.files ?? {}, js, alone ? i : -1]);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const results: (CaseResult | Error)[] = [];
  for (const indexes of groups.values()) {
    const group = indexes.map((i) => cases[i]);
    checkGroup(rule, group).forEach((result, j) => (results[indexes[j]] = result));
  }
  return results;
}

/** One temp project with the group's shared files, one program with a block per case. */
function checkGroup(rule: AnyRule, cases: readonly ValidCase[]): (CaseResult | Error)[] {
  const files = cases[0].files ?? {};
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "vd-rule-"));
  try {
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(root, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    // One page per case, so every case is a virtual file of its own in the root directory.
    const blocks = cases.map((c, i) => syntheticBlock(c.code, c.lang ?? "ts", cases.length === 1 ? "case.md" : `case-${i + 1}.md`));
    const tsconfig = files["tsconfig.json"] !== undefined ? path.join(root, "tsconfig.json") : undefined;
    let bp: BlockProgram;
    try {
      bp = createBlockProgram(blocks, { root, tsconfig, checkJs: blocks[0].kind === "js" });
    } catch (error) {
      return cases.map(() => asError(error));
    }
    return cases.map((c, i) => {
      try {
        return checkInProgram(rule, c, bp, blocks[i]);
      } catch (error) {
        return asError(error);
      }
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function checkInProgram(rule: AnyRule, c: ValidCase, bp: BlockProgram, block: CodeBlock): CaseResult {
  const sourceFile = bp.sourceFileOf(block);
  if (!sourceFile) throw new Error("the case did not compile into the program");
  const enabled = resolveRules(new Map([[rule.id, rule]]), { [rule.id]: ["error", c.options ?? {}] });
  const before = fingerprint(sourceFile);
  const findings = lintBlock(bp, block, enabled);
  if (fingerprint(sourceFile) !== before) throw new Error(`rule "${rule.id}" mutated the syntax tree`);
  const crash = findings.find((f) => f.ruleId === "lint/rule-error");
  if (crash) throw new Error(crash.message);
  const diagnostics = bp.program
    .getSemanticDiagnostics(sourceFile)
    .concat(bp.program.getSyntacticDiagnostics(sourceFile))
    .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
  const own = findings.filter((f) => f.ruleId === rule.id);
  return {
    errors: own.map((f) => ({ ...toExpected(f), message: f.message })),
    output: applyFixes(block.code, own).text,
    diagnostics,
  };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

const isJs = (lang: string): boolean => lang === "js" || lang === "mjs";

function toExpected(f: Finding): ExpectedError {
  const { start, end } = f.place;
  return { messageId: messageIdOf(f) ?? "?", line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

/** A block whose page is exactly its code, so page coordinates equal block-local ones. */
function syntheticBlock(code: string, lang: string, page: string): CodeBlock {
  const lineMap: LineShift[] = [];
  let offset = 0;
  code.split("\n").forEach((line, i) => {
    lineMap.push({ line: i + 1, shift: 0, offset });
    offset += line.length + 1;
  });
  const end = { line: lineMap.length, column: code.length - lineMap[lineMap.length - 1].offset + 1, offset: code.length };
  const js = isJs(lang);
  const start = { line: 1, column: 1, offset: 0 };
  const firstLineEnd = { line: 1, column: lineMap.length > 1 ? lineMap[1].offset : code.length + 1, offset: lineMap.length > 1 ? lineMap[1].offset - 1 : code.length };
  return finishBlock({
    id: `${page}#L1-L${lineMap.length}`,
    page,
    index: 0,
    lang,
    kind: js ? "js" : "ts",
    ext: `.${lang}`,
    attrs: { extra: {} },
    code,
    fence: { start, end },
    opening: { start, end: firstLineEnd },
    lineMap,
  });
}

/** The tree's shape and text; a rule that rewrites nodes changes it. */
function fingerprint(sourceFile: ts.SourceFile): string {
  const parts: string[] = [];
  const visit = (node: ts.Node) => {
    parts.push(`${node.kind}:${node.pos}:${node.end}${ts.isIdentifier(node) ? `:${node.text}` : ""}`);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return parts.join(",");
}
