// Placeholders (docs/real-world.md, "Placeholders"): what counts as one, and the neutral value a run uses in its
// place. A placeholder string literal is already a value, so its block runs, with the literal replaced by a neutral
// value of the same shape (an address on the reserved `.invalid` domain, a dummy key); an unset `process.env.X` gets
// such a value in the example's environment only when its name says what shape it has (a key, a token, an id, an
// http URL, a connection string of a known scheme); any other unset variable (`NODE_ENV`, `PORT`, `DATABASE_URL`)
// steers behaviour we cannot guess, so its block is type-checked and not run.
// Tests: test/cli/placeholders.test.ts (each rule with a look-alike that must still fail).
import ts from "../typescript.cjs";
import type { CodeBlock, StopReason, Substitute } from "../types.js";
import { parseBlock } from "./parse.js";
import { PLACEHOLDER_HOST } from "../run/placeholders.js";

export interface PlannedSubstitute extends Substitute {
  /** A string literal: block-local offsets of the literal token, quotes included; the run's copy replaces it. */
  span?: { start: number; end: number };
  /** `process.env.X`: the variable, set in the example's environment. */
  env?: string;
}

export interface PlaceholderPlan {
  /** A placeholder the run cannot replace safely: the block is type-checked, not run. */
  stop?: { reason: StopReason; detail: string };
  /** What the run replaces (none when `stop` is set). */
  substitutes: PlannedSubstitute[];
}


const PLACEHOLDER_STRINGS = [
  /^<\s*(your|my)\b[\w\s.-]*>$/i, // '<your-endpoint>', '<YOUR API KEY>'
  /^<[A-Z][A-Z0-9]*(_[A-Z0-9]+)+>$/, // '<API_KEY>'
  /^(YOUR|MY)_[A-Z0-9_]+$/, // 'YOUR_API_KEY'
  /^your[-_ ][\w -]*$/i, // 'your-api-key', 'your api key here'
];

export function isPlaceholderString(text: string): boolean {
  return PLACEHOLDER_STRINGS.some((r) => r.test(text));
}

/** `<YOUR_API_KEY>` or `<your-endpoint>` written where a value goes, outside a string. */
const BARE = /<(\s*(?:[Yy][Oo][Uu][Rr]|[Mm][Yy])\b[\w\s.-]*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)>/g;

/**
 * A block that does not parse, and parses once each bare placeholder is read as a string (`<YOUR_KEY>` →
 * `"YOUR_KEY"`, the same length): the reader fills the value in. Not JSX/TSX, where `<NAME>` is an element.
 */
export function barePlaceholder(block: CodeBlock): { reason: StopReason; detail: string } | undefined {
  if (block.ext === ".tsx" || block.ext === ".jsx") return undefined;
  const code = block.code;
  const at = code.search(BARE);
  if (at === -1) return undefined;
  const quoted = code.replace(BARE, (_m, inner: string) => (inner.includes('"') || inner.includes("\n") ? _m : `"${inner}"`));
  if (parseBlock(quoted, block.ext).errors.length > 0) return undefined;
  const shown = new RegExp(BARE.source).exec(code.slice(at))![0];
  const line = code.slice(0, at).split("\n").length;
  return {
    reason: "placeholder",
    detail: `\`${shown}\` on line ${line} of the block stands for a value the reader fills in: parsed with it read as a string, not type-checked or run`,
  };
}

/** `OPENAI_API_KEY` → openai api key; `'<your-otlpEndpoint>'` → your otlp endpoint. */
function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Connection strings whose scheme the name says: a client of that kind parses them, then connects (and is stopped). */
const SCHEMES: [RegExp, string][] = [
  [/^mongo(db)?$/, `mongodb://${PLACEHOLDER_HOST}:27017/placeholder`],
  [/^redis$/, `redis://${PLACEHOLDER_HOST}:6379`],
  [/^(postgres|postgresql|pg)$/, `postgresql://placeholder:placeholder@${PLACEHOLDER_HOST}:5432/placeholder`],
  [/^mysql$/, `mysql://placeholder:placeholder@${PLACEHOLDER_HOST}:3306/placeholder`],
  [/^(amqp|rabbitmq)$/, `amqp://${PLACEHOLDER_HOST}:5672`],
  [/^(ws|wss|websocket)$/, `wss://${PLACEHOLDER_HOST}/`],
];
const URL_WORDS = /^(url|uri|endpoint|endpoints|origin|webhook)$/;
const CONNECTION_WORDS = /^(database|db|dsn|connection|conn|sql)$/;
const HOST_WORDS = /^(host|hostname|domain)$/;
const EMAIL_WORDS = /^(email|mail)$/;
/** Opaque values a library passes on, never interprets: credentials and identifiers. */
const OPAQUE_WORDS = /^(key|apikey|token|secret|password|passwd|pass|pwd|id|account|project|org|organization|tenant|user|username|sid)$/;

/**
 * The neutral value for a placeholder named `name` (its text or its variable name), or undefined when its shape is
 * unknown. `strict` (environment variables): only names that say their shape get a value.
 */
export function neutralValue(name: string, strict: boolean): string | undefined {
  const words = wordsOf(name);
  const has = (re: RegExp) => words.some((w) => re.test(w));
  for (const [re, value] of SCHEMES) if (has(re)) return value;
  if (has(CONNECTION_WORDS)) return strict ? undefined : `placeholder-${words.join("-")}`;
  if (has(URL_WORDS)) return `https://${PLACEHOLDER_HOST}/`;
  if (has(EMAIL_WORDS)) return `placeholder@${PLACEHOLDER_HOST}`;
  if (has(HOST_WORDS)) return strict ? undefined : PLACEHOLDER_HOST;
  if (strict && !has(OPAQUE_WORDS)) return undefined;
  return `placeholder-${words.filter((w) => w !== "your" && w !== "my").join("-") || "value"}`;
}

export interface PlaceholderOptions {
  /** Environment variable names a run process gets (config `env`, and `passEnv` names set in this process). */
  envNames: ReadonlySet<string>;
}

/** Every placeholder of the block, and whether the run can replace them all. Undefined when there is none. */
export function planPlaceholders(file: ts.SourceFile, options: PlaceholderOptions): PlaceholderPlan | undefined {
  const substitutes: PlannedSubstitute[] = [];
  const env = new Set<string>();
  let stop: PlaceholderPlan["stop"];
  const lineOf = (n: ts.Node) => file.getLineAndCharacterOfPosition(n.getStart(file)).line + 1;
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && isPlaceholderString(node.text) && isValue(node)) {
      const value = neutralValue(node.text, false)!;
      const start = node.getStart(file);
      substitutes.push({ placeholder: node.getText(file), value, line: lineOf(node), ...(replaceable(node) ? { span: { start, end: node.end } } : {}) });
      return;
    }
    const name = envName(node);
    if (name !== undefined && !options.envNames.has(name) && isPassedOn(node) && !checksEnv(file.text, name)) {
      const value = neutralValue(name, true);
      if (value === undefined) {
        stop ??= {
          reason: "placeholder",
          detail: `\`process.env.${name}\` (line ${lineOf(node)} of the block) is not set for runs, and its name does not say what value would be safe; set it with the \`env\` or \`passEnv\` option to run this block`,
        };
      } else if (!env.has(name)) {
        env.add(name);
        substitutes.push({ placeholder: `process.env.${name}`, value, line: lineOf(node), env: name });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (stop) return { stop, substitutes: [] };
  return substitutes.length > 0 ? { substitutes } : undefined;
}

/** A literal the program evaluates (not a literal type, a module specifier, a property name or a directive). */
function isValue(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral): boolean {
  const p = node.parent;
  if (ts.isLiteralTypeNode(p) || ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isExternalModuleReference(p) || ts.isModuleDeclaration(p)) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p) || ts.isEnumMember(p)) && p.name === node) return false;
  return !ts.isExpressionStatement(p);
}

/** Where a call (the run's replacement) may stand in for the literal: not a JSX attribute, not a tagged template. */
function replaceable(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral): boolean {
  const p = node.parent;
  return !ts.isJsxAttribute(p) && !ts.isTaggedTemplateExpression(p) && !ts.isImportAttribute(p);
}

/** `process.env.X` or `process.env["X"]` → X. */
function envName(node: ts.Node): string | undefined {
  const target = ts.isPropertyAccessExpression(node) ? node.expression : ts.isElementAccessExpression(node) ? node.expression : undefined;
  if (!target || !ts.isPropertyAccessExpression(target) || target.name.text !== "env") return undefined;
  if (!ts.isIdentifier(target.expression) || target.expression.text !== "process") return undefined;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  const arg = (node as ts.ElementAccessExpression).argumentExpression;
  return ts.isStringLiteral(arg) ? arg.text : undefined;
}

/**
 * The value is handed to something (`new Client({ apiKey: process.env.X })`, `connect(process.env.X!)`,
 * `const key = process.env.X`) with no fallback (`?? "…"`, `|| "…"`). Reading it to test it, print it in a template
 * or assign it is not a placeholder.
 */
function isPassedOn(node: ts.Node): boolean {
  let n = node;
  while (ts.isNonNullExpression(n.parent) || ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(n as ts.Expression)) return true;
  if (ts.isPropertyAssignment(p) && p.initializer === n) return true;
  return ts.isVariableDeclaration(p) && p.initializer === n;
}

/** The example tests the variable itself (`if (!process.env.X)`): it handles the unset case. */
function checksEnv(text: string, name: string): boolean {
  const ref = `process\\.env(?:\\.${name}\\b|\\[["']${name}["']\\])`;
  return new RegExp(`(if\\s*\\(\\s*!?\\s*${ref})|(${ref}\\s*(\\?\\?|\\|\\||===|!==|==|!=))`).test(text);
}

