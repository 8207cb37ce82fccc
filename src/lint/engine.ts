// One traversal per block source file, dispatching each node to every enabled rule's visitor for its kind.
// Positions are mapped to the page once, here, through extract/position.ts.
import ts from "../typescript.cjs";
import { LineIndex, fencePlace, toPagePlace } from "../extract/position.js";
import type { BlockProgram } from "../typecheck/program-types.js";
import type { CodeBlock, Finding, Fix } from "../types.js";
import type { EnabledRule } from "./config.js";
import type { AnyRule, ReportDescriptor, ReportLocation, RuleContext, Visitor } from "./types.js";

/** ts.SyntaxKind number → its real name (the enum's reverse map returns markers like `FirstStatement`). */
const KIND_NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (const [name, value] of Object.entries(ts.SyntaxKind)) {
    if (typeof value !== "number" || /^(First|Last)[A-Z]/.test(name)) continue;
    names[value] ??= name;
  }
  return names;
})();
const KNOWN_KINDS = new Set(KIND_NAMES.filter(Boolean));

export function kindName(node: ts.Node): string {
  return KIND_NAMES[node.kind] ?? String(node.kind);
}

/** The messageId behind a lint finding (`finding.messageId`), for the rule tester. */
export function messageIdOf(finding: Finding): string | undefined {
  return finding.messageId;
}

interface Listener {
  ruleId: string;
  fn: Visitor;
}

/** Lints one block with the given rules; rule crashes become findings instead of aborting the run. */
export function lintBlock(bp: BlockProgram, block: CodeBlock, rules: ReadonlyMap<string, EnabledRule>): Finding[] {
  const sourceFile = bp.sourceFileOf(block);
  if (!sourceFile) return [];
  const findings: Finding[] = [];
  const enter = new Map<string, Listener[]>();
  const exit = new Map<string, Listener[]>();
  const dead = new Set<string>();
  const frozenBlock = Object.freeze({ ...block });

  for (const [ruleId, enabled] of rules) {
    const context: RuleContext<unknown> = Object.freeze({
      id: ruleId,
      checker: bp.checker,
      program: bp.program,
      sourceFile,
      block: frozenBlock,
      options: enabled.options,
      report: (d: ReportDescriptor) => {
        const finding = toFinding(bp, block, sourceFile, ruleId, enabled, d);
        if (finding) findings.push(finding);
      },
    });
    try {
      const visitors = enabled.rule.create(context, enabled.options);
      for (const [key, fn] of Object.entries(visitors)) {
        if (!fn) continue;
        const [kind, phase] = key.split(":");
        if (!KNOWN_KINDS.has(kind) || (phase !== undefined && phase !== "exit")) {
          throw new Error(`unknown visitor key "${key}" (use a ts.SyntaxKind name, optionally with ":exit")`);
        }
        const table = phase === "exit" ? exit : enter;
        const list = table.get(kind) ?? [];
        list.push({ ruleId, fn });
        table.set(kind, list);
      }
    } catch (error) {
      dead.add(ruleId);
      findings.push(ruleCrash(block, ruleId, error));
    }
  }
  if (enter.size === 0 && exit.size === 0) return findings;

  const dispatch = (listeners: Listener[] | undefined, node: ts.Node) => {
    if (!listeners) return;
    for (const { ruleId, fn } of listeners) {
      if (dead.has(ruleId)) continue;
      try {
        fn(node);
      } catch (error) {
        dead.add(ruleId);
        findings.push(ruleCrash(block, ruleId, error));
      }
    }
  };
  // Carried code (page context) is linted in the block it was written in: here only the block's own statements are
  // walked (its findings would be dropped anyway), so a page's later blocks do not pay for its earlier ones again.
  const carried = (statement: ts.Statement): boolean => {
    const start = statement.getStart(sourceFile);
    return bp.toBlockOffset(block, start) < 0 && bp.toBlockOffset(block, Math.max(start, statement.end - 1)) < 0;
  };
  const visit = (node: ts.Node): void => {
    const kind = kindName(node);
    dispatch(enter.get(kind), node);
    if (node === sourceFile) {
      for (const statement of sourceFile.statements) if (!carried(statement)) visit(statement);
      visit(sourceFile.endOfFileToken);
    } else {
      ts.forEachChild(node, visit);
    }
    dispatch(exit.get(kind), node);
  };
  try {
    visit(sourceFile);
  } catch (error) {
    // The walk itself overflowed the stack (a deeply nested block): report it, keep the other blocks' results.
    findings.push({
      stage: "lint",
      ruleId: "lint/crash",
      severity: "error",
      message: `The lint stage could not walk this block (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}); its rules did not finish. Flatten the example, or mark it \`skip="reason"\`.`,
      page: block.page,
      blockId: block.id,
      place: fencePlace(block),
    });
  }
  return findings;
}

function toFinding(
  bp: BlockProgram,
  block: CodeBlock,
  sourceFile: ts.SourceFile,
  ruleId: string,
  enabled: EnabledRule,
  d: ReportDescriptor,
): Finding | undefined {
  const { rule } = enabled;
  const template = rule.meta.messages[d.messageId];
  if (template === undefined) {
    throw new Error(`reported unknown messageId "${d.messageId}" (known: ${Object.keys(rule.meta.messages).join(", ")})`);
  }
  if (d.fix && !rule.meta.fixable) throw new Error(`reported a fix, but the rule does not declare \`meta.fixable: true\``);
  if (d.suggestion && !rule.meta.hasSuggestions) {
    throw new Error(`reported a suggestion, but the rule does not declare \`meta.hasSuggestions: true\``);
  }
  let range: [number, number] | undefined;
  if (d.node) {
    const nodeStart = d.node.getStart(sourceFile);
    // Carried code (page context) never gets a finding of its own: it is linted in the block it was written in.
    if (bp.toBlockOffset(block, nodeStart) < 0) return undefined;
    range = blockRange(bp, block, nodeStart, d.node.getEnd());
  } else {
    range = locRange(block, d.loc);
  }
  // A node that spans the prelude and the block, or ends outside it: attach to the fence, never drop.
  const place = range ? toPagePlace(block, range[0], range[1]) : fencePlace(block);
  const finding: Finding = {
    stage: "lint",
    ruleId,
    severity: enabled.severity,
    message: fillMessage(template, d.data),
    page: block.page,
    blockId: block.id,
    place,
    messageId: d.messageId,
  };
  const url = rule.meta.docs?.url;
  if (url) finding.url = url;
  if (d.suggestion) finding.suggestion = d.suggestion;
  if (d.fix) {
    const [from, to] = d.fix.range ?? [d.fix.node?.getStart(sourceFile) ?? 0, d.fix.node?.getEnd() ?? 0];
    const fixRange = blockRange(bp, block, from, to);
    // A fix can only be applied where the block text maps to the page (not inside a prelude).
    if (fixRange) {
      const fixPlace = toPagePlace(block, fixRange[0], fixRange[1]);
      finding.fix = { range: [fixPlace.start.offset, fixPlace.end.offset], text: d.fix.text } satisfies Fix;
    }
  }
  return finding;
}

/** A `report({ loc })` location (block-local 1-based line/column) → block-local offsets. */
function locRange(block: CodeBlock, loc: ReportLocation): [number, number] {
  const lines = new LineIndex(block.code, false);
  const start = lines.pointOf(loc.start.line, loc.start.column).offset;
  const end = loc.end ? lines.pointOf(loc.end.line, loc.end.column).offset : start;
  return [start, Math.max(start, end)];
}

/** Source-file offsets → block-local offsets, or undefined when they fall outside the block's own text. */
function blockRange(bp: BlockProgram, block: CodeBlock, from: number, to: number): [number, number] | undefined {
  const start = bp.toBlockOffset(block, from);
  const end = bp.toBlockOffset(block, to);
  if (start < 0 || end < start || end > block.code.length) return undefined;
  return [start, end];
}

/** Fills `{{name}}` placeholders; a placeholder without data stays visible so the gap is noticed. */
export function fillMessage(template: string, data: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, key: string) =>
    Object.hasOwn(data, key) ? String(data[key]) : whole,
  );
}

function ruleCrash(block: CodeBlock, ruleId: string, error: unknown): Finding {
  const why = error instanceof Error ? error.message : String(error);
  return {
    stage: "lint",
    ruleId: "lint/rule-error",
    severity: "error",
    message:
      `Rule "${ruleId}" failed on this block: ${why}. This is a bug in the rule, not in the example; ` +
      `the rule was skipped for the rest of this block. Fix the rule or turn it off for this block.`,
    page: block.page,
    blockId: block.id,
    place: fencePlace(block),
  };
}

export type { AnyRule };
