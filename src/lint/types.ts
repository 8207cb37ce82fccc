// The rule shape: ESLint's `meta` + `create`, with a type-aware context (checker and program shared with the
// typecheck stage). Rules see one block at a time and never touch the filesystem, the process or other blocks.
import type ts from "../typescript.cjs";
import type { CodeBlock, Severity } from "../types.js";

/** A tiny JSON-Schema subset used to validate rule options (see src/lint/schema.ts). */
export interface OptionSchema {
  type?: "object" | "array" | "string" | "number" | "integer" | "boolean";
  properties?: Record<string, OptionSchema>;
  required?: string[];
  /** Objects: reject unknown keys unless true. Default false, so typos are caught. */
  additionalProperties?: boolean;
  items?: OptionSchema;
  enum?: readonly (string | number | boolean)[];
  minItems?: number;
  minLength?: number;
  description?: string;
}

export interface RuleMeta<M extends string = string> {
  /** One sentence; the first paragraph of `docs/rules/<id>.md` must equal it. */
  description: string;
  /** Default severity when the rule is enabled without a level. */
  severity: Exclude<Severity, "info">;
  /** messageId → message template with `{{name}}` placeholders filled from `report({ data })`. */
  messages: Record<M, string>;
  /** Schema of the options object (`["error", options]`). */
  schema?: OptionSchema;
  /**
   * Documentation URL, copied onto every finding of the rule (`finding.url`). Built-in rules default to their page
   * docs/rules/<id>.md in the installed package.
   */
  docs?: { url?: string };
  /** The rule may report `fix` edits (applied by `--fix`); a fix from a rule without it is a rule error. */
  fixable?: boolean;
  /** The rule may report `suggestion` texts; a suggestion from a rule without it is a rule error. */
  hasSuggestions?: boolean;
}

/** A replacement in the block's source file: either a node's text or an explicit [start, end) range. */
export interface RuleFix {
  node?: ts.Node;
  /** Source-file offsets (as `node.getStart()` / `node.getEnd()`). */
  range?: readonly [number, number];
  text: string;
}

/** A block-local position: 1-based line and column of the block's code (as in RuleTester cases). */
export interface BlockPosition {
  line: number;
  column: number;
}

/** Where to report instead of a node: a start and (default: the start) an end, block-local. */
export interface ReportLocation {
  start: BlockPosition;
  end?: BlockPosition;
}

/** What to underline: a node, or a location (`loc`) when no node spans the problem. */
export type ReportTarget = { node: ts.Node; loc?: undefined } | { loc: ReportLocation; node?: undefined };

export type ReportDescriptor<M extends string = string> = ReportTarget & {
  /** A key of `meta.messages`. */
  messageId: M;
  data?: Record<string, string | number>;
  /** Only for rules with `meta.fixable`. */
  fix?: RuleFix;
  /** A human-readable suggestion (no automatic edit); only for rules with `meta.hasSuggestions`. */
  suggestion?: string;
};

export interface RuleContext<O = Readonly<Record<string, unknown>>, M extends string = string> {
  readonly id: string;
  readonly checker: ts.TypeChecker;
  readonly program: ts.Program;
  readonly sourceFile: ts.SourceFile;
  readonly block: Readonly<CodeBlock>;
  /** Deeply frozen options (the object from `["error", options]`, `{}` when none). */
  readonly options: O;
  report(descriptor: ReportDescriptor<M>): void;
}

/** A visitor; declared bivariantly so `(node: ts.CallExpression) => void` is accepted for its kind. */
export type Visitor = { bivarianceHack(node: ts.Node): void }["bivarianceHack"];

/** Node types of the kinds rules use most, so visitors get precise parameter types without annotations. */
interface KnownVisitors {
  CallExpression?: (node: ts.CallExpression) => void;
  NewExpression?: (node: ts.NewExpression) => void;
  Identifier?: (node: ts.Identifier) => void;
  PropertyAccessExpression?: (node: ts.PropertyAccessExpression) => void;
  ImportDeclaration?: (node: ts.ImportDeclaration) => void;
  ExportDeclaration?: (node: ts.ExportDeclaration) => void;
  ObjectLiteralExpression?: (node: ts.ObjectLiteralExpression) => void;
  PropertyAssignment?: (node: ts.PropertyAssignment) => void;
  ExpressionStatement?: (node: ts.ExpressionStatement) => void;
  VariableDeclaration?: (node: ts.VariableDeclaration) => void;
  StringLiteral?: (node: ts.StringLiteral) => void;
  SourceFile?: (node: ts.SourceFile) => void;
}

/** Visitors keyed by `ts.SyntaxKind` name (`CallExpression`), or `"<Kind>:exit"` for the way out. */
export type Visitors = KnownVisitors & { [kind: string]: Visitor | undefined };

export interface Rule<O = Readonly<Record<string, unknown>>, M extends string = string> {
  id: string;
  meta: RuleMeta<M>;
  create(context: RuleContext<O, M>, options: O): Visitors;
}

/**
 * Identity helper so rule authors get types without annotations: the message ids are the keys of `meta.messages`,
 * and `context.report({ messageId })` accepts only those.
 */
export function defineRule<O = Readonly<Record<string, unknown>>, M extends string = string>(rule: Rule<O, M>): Rule<O, M> {
  return rule;
}

/** A rule with its option and message types erased, for registries (method parameters are bivariant). */
export type AnyRule = Rule<unknown, string>;
