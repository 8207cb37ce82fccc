// What is not a program (docs/real-world.md, "Heuristics"). Each heuristic is narrow and named: it only applies
// when the block as written cannot be what it looks like (it does not parse, or it parses only as nonsense such as
// bitwise-or of strings or a row of labels), so a real program with a real bug is never reclassified.
// Tests: test/cli/grade.test.ts, each heuristic with a look-alike block that must still fail.
import ts from "../typescript.cjs";
import type { CodeBlock, StopReason } from "../types.js";
import { parseBlock } from "./parse.js";
import { yamlParser } from "../util/yaml.js";
import { barePlaceholder, planPlaceholders, type PlannedSubstitute } from "./placeholders.js";

export interface Stop {
  reason: StopReason;
  detail: string;
}

export interface Classification {
  /** The block parses as written. */
  parses: boolean;
  /** Not a program: neither type-checked nor run, and never an error by default. */
  notProgram?: Stop;
  /**
   * A type-only snippet or a value shown alone: the checker sees `before + (code ?? block.code) + after` (`code`,
   * when set, has the block's length, so positions stay exact); not run.
   */
  asType?: { before: string; after: string; code?: string };
  /** Checked, but not run, with why (type-only, value-only, placeholder, browser-only). */
  noRun?: Stop;
  /** Placeholders the run replaces with neutral values (src/grade/placeholders.ts). */
  substitutes?: PlannedSubstitute[];
}

export interface ClassifyOptions {
  /** Environment variable names a run process gets (config `env`, and `passEnv` names set in this process). */
  envNames: ReadonlySet<string>;
}

/** Exported for docs and tests: the text the checker sees for a type-only snippet. */
export const TYPE_ALIAS = "export type __vd_type =\n";
export const TYPE_MEMBERS = ["export interface __vd_type {\n", "\n}"] as const;

export function classify(block: CodeBlock, options: ClassifyOptions): Classification {
  const { file, errors } = parseBlock(block.code, block.ext);
  const parses = errors.length === 0;
  if (block.code.trim() === "") return { parses };

  // JSON data is also a valid object type; it is data first.
  const json = parses ? undefined : jsonOrYaml(block.code, false);
  if (json?.reason === "json") return { parses, notProgram: json };
  const asType = typeOnly(block, file, parses);
  if (asType) {
    return { parses, asType, noRun: { reason: "type-only", detail: "a type, not a program: checked as a type, nothing to run" } };
  }
  if (!parses) {
    const notProgram = shellSession(block.code, errors) ?? jsonOrYaml(block.code, false) ?? barePlaceholder(block) ?? pseudoCode(block);
    if (notProgram) return { parses, notProgram };
    const value = valueOnly(block.code, block.ext);
    if (value) {
      return { parses, asType: value, noRun: { reason: "value-only", detail: "a value shown alone (an object or a function), not a program: checked as an expression, nothing to run" } };
    }
    return { parses };
  }
  const yaml = jsonOrYaml(block.code, onlyLabels(file));
  if (yaml) return { parses, notProgram: yaml };
  const runtime = otherRuntime(file);
  if (runtime) return { parses, notProgram: runtime };
  const plan = planPlaceholders(file, options);
  if (plan?.stop) return { parses, noRun: plan.stop };
  const noRun = browserOnly(file);
  // Browser-only code runs under env=browser: it keeps its substitutes for that run.
  if (noRun) return { parses, noRun, ...(plan?.substitutes.length ? { substitutes: plan.substitutes } : {}) };
  return plan?.substitutes.length ? { parses, substitutes: plan.substitutes } : { parses };
}

// ------------------------------------------------------------------ type-only snippets

/** Labels (`model: string;`) and stray semicolons: how TypeScript reads a list of object members. */
function allLabels(statements: readonly ts.Statement[]): boolean {
  return statements.some((s) => ts.isLabeledStatement(s)) && statements.every((s) => ts.isLabeledStatement(s) || ts.isEmptyStatement(s));
}

/** Every top-level statement is a label: a list of object members written without braces. */
function onlyLabels(file: ts.SourceFile): boolean {
  return allLabels(file.statements);
}

/** Names of types that are never values: `string` read as an expression is a type shown alone. */
const TYPE_KEYWORDS = new Set(["string", "number", "boolean", "bigint", "symbol", "object", "unknown", "never", "any"]);

function mentionsTypeKeyword(e: ts.Node): boolean {
  if (ts.isIdentifier(e) && TYPE_KEYWORDS.has(e.text)) {
    const p = e.parent;
    return !(ts.isPropertyAccessExpression(p) && p.name === e) && !(ts.isPropertyAssignment(p) && p.name === e);
  }
  return ts.forEachChild(e, mentionsTypeKeyword) ?? false;
}

/** `"chat" | "completion"`: a union of literals read as bitwise-or, which no program means. */
function isLiteralUnion(e: ts.Expression): boolean {
  let sawLiteral = false;
  const walk = (x: ts.Expression): boolean => {
    if (ts.isParenthesizedExpression(x)) return walk(x.expression);
    if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.BarToken) return walk(x.left) && walk(x.right);
    if (ts.isStringLiteral(x) || ts.isNoSubstitutionTemplateLiteral(x)) return (sawLiteral = true);
    return ts.isNumericLiteral(x) || ts.isIdentifier(x) || x.kind === ts.SyntaxKind.NullKeyword || ts.isPropertyAccessExpression(x);
  };
  return ts.isBinaryExpression(e) && walk(e) && sawLiteral;
}

/** `{ model: string; n?: number }` read as a block of labels (or not parsing, with `?:`). */
function isObjectTypeLike(s: ts.Statement): boolean {
  return ts.isBlock(s) && allLabels(s.statements);
}

function typeOnly(block: CodeBlock, file: ts.SourceFile, parses: boolean): Classification["asType"] {
  if (block.kind !== "ts") return undefined;
  const code = block.code;
  const statements = file.statements;
  const single = statements.length === 1 ? statements[0]! : undefined;
  const nonsense =
    !parses ||
    onlyLabels(file) ||
    (single !== undefined && ts.isExpressionStatement(single) && (isLiteralUnion(single.expression) || mentionsTypeKeyword(single.expression))) ||
    (single !== undefined && isObjectTypeLike(single));
  if (!nonsense) return undefined;
  // A single type: a union, an object type, a function type.
  if (!/^\s*(import|export|const|let|var|function|class|interface|type|declare)\b/.test(code)) {
    if (parsesAsOneType(TYPE_ALIAS + code, block.ext)) return { before: TYPE_ALIAS, after: "" };
  }
  // A list of members or signatures: `create(params: Params): Promise<Response>`, `model: string`.
  const [open, close] = TYPE_MEMBERS;
  if (parsesAsMembers(open + code + close, block.ext)) return { before: open, after: close };
  return undefined;
}

function parsesAsOneType(text: string, ext: string): boolean {
  const { file, errors } = parseBlock(text, ext);
  return errors.length === 0 && file.statements.length === 1 && ts.isTypeAliasDeclaration(file.statements[0]!);
}

function parsesAsMembers(text: string, ext: string): boolean {
  const { file, errors } = parseBlock(text, ext);
  if (errors.length > 0 || file.statements.length !== 1) return false;
  const decl = file.statements[0]!;
  return ts.isInterfaceDeclaration(decl) && decl.members.length > 0;
}

// ------------------------------------------------------------------ values shown alone

export const VALUE_WRAP = ["export const __vd_value = (\n", "\n);"] as const;

/** `{ url: '/user', method: 'get' }` or `function (times) { … }`: one expression, not a program. */
function valueOnly(code: string, ext: string): Classification["asType"] {
  const [before, after] = VALUE_WRAP;
  if (!/^\s*(\{|\[|function\b|async\s+function\b|\()/.test(code)) return undefined;
  // A trailing `;` or `,` after the value is read as a space (same length, so positions stay exact).
  const m = /[;,](\s*)$/.exec(code);
  const text = m ? `${code.slice(0, m.index)} ${m[1]}` : code;
  const { file, errors } = parseBlock(before + text + after, ext);
  if (errors.length > 0 || file.statements.length !== 1) return undefined;
  return { before, after, ...(m ? { code: text } : {}) };
}

// ------------------------------------------------------------------ shell sessions and console output

const PROMPT = /^\s*(\$|%|>|PS>|C:\\>)\s+\S/;
const COMMAND =
  /^\s*(npm|npx|yarn|pnpm|pnpx|bun|bunx|deno|node|git|curl|wget|cd|mkdir|brew|pip|docker|sudo)\s+[-\w.@/~"':]/;
/** Box drawing, blocks, check marks, prompts: printed by CLIs, never valid outside a string or comment. */
const CONSOLE_CHARS = /[\u2500-\u259f\u2713-\u2718\u276f\u2714\u2716\u25b6\u25cf]/;

function shellSession(code: string, errors: readonly ts.DiagnosticWithLocation[]): Stop | undefined {
  const first = code.split("\n").find((l) => l.trim() !== "" && !/^\s*#/.test(l)) ?? "";
  if (PROMPT.test(first) || COMMAND.test(first)) {
    return { reason: "shell-session", detail: `a shell session, not TypeScript/JavaScript (\`${first.trim().slice(0, 60)}\`)` };
  }
  // Console output: an "Invalid character" parse error at a character only a terminal prints.
  for (const e of errors) {
    if (e.code !== 1127) continue;
    const ch = code[e.start];
    if (ch && CONSOLE_CHARS.test(ch)) {
      const line = code.slice(0, e.start).split("\n").length;
      return { reason: "shell-session", detail: `console output (\`${ch}\` on line ${line} of the block), not TypeScript/JavaScript` };
    }
  }
  return undefined;
}

// ------------------------------------------------------------------ JSON and YAML

function jsonOrYaml(code: string, labelsOnly: boolean): Stop | undefined {
  const text = code.trim();
  if (!labelsOnly) {
    if (/^[[{]/.test(text)) {
      try {
        const value: unknown = JSON.parse(text);
        if (value !== null && typeof value === "object") return { reason: "json", detail: "JSON data, not a program" };
      } catch {
        // not JSON
      }
    }
  }
  // YAML: every line is a key, a list item or a comment, and the whole is a mapping with a key.
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  if (lines.length < 2 && !labelsOnly) return undefined;
  if (!lines.every((l) => /^\s*(#|- |[\w.-]+:(\s|$))/.test(l))) return undefined;
  if (!/^[\w.-]+:/.test(lines[0]!)) return undefined;
  try {
    const value: unknown = yamlParser().parse(text);
    if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
      return { reason: "yaml", detail: "YAML data, not a program" };
    }
  } catch {
    // not YAML
  }
  return undefined;
}

// ------------------------------------------------------------------ pseudo-code

/** `...` that is not a spread or rest (nothing to spread follows it), and `…`. */
const ELLIPSIS = /\.\.\.(?![\s]*[\w$[({'"`])|…/g;

function pseudoCode(block: CodeBlock): Stop | undefined {
  const code = block.code;
  if (!/\.\.\.|…/.test(code)) return undefined;
  // Same-length replacements keep every position; try "nothing here" first, then "some value here".
  for (const fill of [" ", "0"]) {
    const text = code.replace(ELLIPSIS, (m) => fill + " ".repeat(m.length - 1));
    if (text !== code && (parseBlock(text, block.ext).errors.length === 0 || valueOnly(text, block.ext))) {
      const at = code.search(ELLIPSIS);
      const line = code.slice(0, at).split("\n").length;
      return { reason: "pseudo-code", detail: `pseudo-code: \`${code[at] === "…" ? "…" : "..."}\` on line ${line} of the block stands for omitted code` };
    }
  }
  return undefined;
}

// ------------------------------------------------------------------ other runtimes

/** Module specifiers only Deno (or a bundler with URL imports) resolves. */
const DENO_SPECIFIER = /^(jsr:|npm:|https?:\/\/)/;

/** Deno code in a Node project: `jsr:`/`npm:`/URL imports, or the `Deno` global. */
function otherRuntime(file: ts.SourceFile): Stop | undefined {
  for (const s of file.statements) {
    const spec = (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : undefined;
    if (spec && DENO_SPECIFIER.test(spec)) {
      const who = /^https?:/.test(spec) ? "a URL import, for Deno or a browser" : "Deno code";
      return { reason: "other-runtime", detail: `${who} (\`${spec}\`): parsed, not type-checked or run in Node` };
    }
  }
  let deno: ts.Identifier | undefined;
  let declared = false;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === "Deno") {
      const p = node.parent;
      if ((ts.isVariableDeclaration(p) || ts.isImportClause(p) || ts.isImportSpecifier(p) || ts.isNamespaceImport(p)) && (p as ts.NamedDeclaration).name === node) declared = true;
      else if (ts.isPropertyAccessExpression(p) && p.expression === node) deno ??= node;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (!deno || declared) return undefined;
  const line = file.getLineAndCharacterOfPosition(deno.getStart(file)).line + 1;
  return { reason: "other-runtime", detail: `Deno code (\`Deno.\` on line ${line} of the block): parsed, not type-checked or run in Node` };
}

// ------------------------------------------------------------------ browser-only code

const BROWSER_GLOBALS = new Set(["window", "document", "localStorage", "sessionStorage", "navigator"]);

function browserOnly(file: ts.SourceFile): Stop | undefined {
  const text = file.text;
  // Code that checks where it runs (`typeof window !== "undefined"`) is meant to run in Node too.
  if (/\btypeof\s+(window|document|navigator)\b/.test(text)) return undefined;
  const declared = new Set<string>();
  let used: ts.Identifier | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && BROWSER_GLOBALS.has(node.text)) {
      const p = node.parent;
      const isName =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        (ts.isPropertyAssignment(p) && p.name === node) ||
        (ts.isPropertyDeclaration(p) && p.name === node) ||
        (ts.isMethodDeclaration(p) && p.name === node) ||
        ts.isPropertySignature(p) ||
        ts.isQualifiedName(p);
      const isDeclaration =
        (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p) || ts.isBindingElement(p)) &&
        (p as ts.NamedDeclaration).name === node;
      const isImport = ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p);
      if (isDeclaration || isImport) declared.add(node.text);
      else if (!isName && !used) used = node;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (!used || declared.has(used.text)) return undefined;
  const line = file.getLineAndCharacterOfPosition(used.getStart(file)).line + 1;
  return {
    reason: "browser-only",
    detail: `browser-only code (\`${used.text}\` on line ${line} of the block): type-checked, not run in Node`,
  };
}
