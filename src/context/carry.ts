// Page context: what a block carries from the blocks it sees (`block.context`, decided in extract). Syntax only
// (no checker): the imports and top-level declarations of earlier blocks that the block refers to, directly or
// through other carried declarations. A block's own top-level names shadow carried ones, and the latest
// declaration of a name wins. The same analysis feeds checking (a prelude of carried statements, src/typecheck)
// and running (carried values taken from the page's scope, src/run/transpile.ts): the run stage's worker thread gets
// each block's syntax as data (`carrySyntaxOf`, read on the main thread) and selects from it without the compiler
// (src/context/run-carry.ts).
import type TS from "../typescript.cjs";
import type { CodeBlock } from "../types.js";
import { typescript } from "../util/typescript.js";
import { runCarry as runCarryOf, selectCarried, type CarriedStatement, type CarrySyntax, type RunCarry } from "./run-carry.js";

export type { CarrySyntax, RunCarry };

// Loaded on first use (the type-check stage loads it anyway; the main thread when a page has context).
let ts: typeof TS;

/** One carried top-level statement of an earlier block. */
interface Statement {
  block: CodeBlock;
  node: TS.Statement;
  sourceFile: TS.SourceFile;
  /** Names it binds at the top level. */
  declares: string[];
  /** Of those, the names that exist at run time (not types, not ambient). */
  values: string[];
  /** Identifiers it refers to. */
  refs: Set<string>;
}

interface Analysis {
  statements: Statement[];
  declares: Set<string>;
  values: Set<string>;
  refs: Set<string>;
  /** Block offset at which a prelude goes: after a shebang and leading pragma comments, at a line start. */
  insertAt: number;
}

/**
 * Blocks already parsed, kept by a caller while it works through blocks that see each other (a program's, a page's)
 * and dropped with it: a block's analysis holds its whole syntax tree, and keeping every block's for the rest of the
 * run cost ≈ 100 MB per thread on 5,000 blocks (docs/performance.md, "Memory").
 */
export type ParsedBlocks = Map<CodeBlock, Analysis>;

function scriptKind(ext: string): TS.ScriptKind {
  if (ext === ".tsx") return ts.ScriptKind.TSX;
  if (ext === ".jsx") return ts.ScriptKind.JSX;
  if (ext === ".js" || ext === ".mjs" || ext === ".cjs") return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** Top-level bindings, references and the prelude insertion point of one block (parsed once per `parsed`). */
function analyze(block: CodeBlock, parsed: ParsedBlocks): Analysis {
  const cached = parsed.get(block);
  if (cached) return cached;
  ts ??= typescript();
  const sourceFile = ts.createSourceFile(`block${block.ext}`, block.code, ts.ScriptTarget.Latest, true, scriptKind(block.ext));
  const statements: Statement[] = [];
  const declares = new Set<string>();
  const values = new Set<string>();
  sourceFile.statements.forEach((node) => {
    const bound = bindings(node);
    if (!bound) return;
    for (const n of bound.declares) declares.add(n);
    for (const n of bound.values) values.add(n);
    statements.push({ block, node, sourceFile, ...bound, refs: references(node) });
  });
  // `var` inside top-level blocks and loops is hoisted to the module scope: it shadows a carried name too.
  const hoisted = (n: TS.Node): void => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isVariableDeclarationList(n) && (n.flags & ts.NodeFlags.BlockScoped) === 0) {
      for (const d of n.declarations) for (const id of bindingNames(d.name)) declares.add(id.text);
    }
    ts.forEachChild(n, hoisted);
  };
  for (const statement of sourceFile.statements) if (!ts.isVariableStatement(statement)) ts.forEachChild(statement, hoisted);
  const analysis: Analysis = { statements, declares, values, refs: references(sourceFile), insertAt: headerEnd(block.code) };
  parsed.set(block, analysis);
  return analysis;
}

function hasModifier(node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

/** What a top-level statement binds, or undefined when it is not carried (expressions, `export { … }`, …). */
function bindings(node: TS.Statement): { declares: string[]; values: string[] } | undefined {
  const ambient = hasModifier(node, ts.SyntaxKind.DeclareKeyword);
  const one = (name: TS.Identifier | undefined, isValue: boolean) =>
    name ? { declares: [name.text], values: isValue && !ambient ? [name.text] : [] } : undefined;
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (!clause) return undefined; // `import "x"`: a side effect, run once by its own block
    const names = importNames(node).map((s) => s.local);
    return { declares: names, values: [] };
  }
  if (ts.isImportEqualsDeclaration(node)) return one(node.name, !node.isTypeOnly);
  if (ts.isVariableStatement(node)) {
    const names = node.declarationList.declarations.flatMap((d) => bindingNames(d.name).map((n) => n.text));
    return { declares: names, values: ambient ? [] : names };
  }
  if (ts.isFunctionDeclaration(node)) return one(node.name, Boolean(node.body));
  if (ts.isClassDeclaration(node)) return one(node.name, true);
  if (ts.isEnumDeclaration(node)) return one(node.name, true);
  if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return one(node.name, false);
  if (ts.isModuleDeclaration(node) && ts.isIdentifier(node.name)) {
    // `declare global` / `declare module "x"` augment the whole program already; only named namespaces are carried.
    return one(node.name, Boolean(node.body) && !ambient);
  }
  return undefined;
}

interface ImportName {
  local: string;
  /** The imported name (`default`, `*` for a namespace, else the export name). */
  imported: string;
  typeOnly: boolean;
  node: TS.Identifier;
  /** The specifier node, for a rename (`{ a }` → `{ a as b }`). */
  specifier?: TS.ImportSpecifier;
}

function importNames(node: TS.ImportDeclaration): ImportName[] {
  const clause = node.importClause;
  if (!clause) return [];
  const typeOnly = clause.isTypeOnly;
  const out: ImportName[] = [];
  if (clause.name) out.push({ local: clause.name.text, imported: "default", typeOnly, node: clause.name });
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) out.push({ local: bindings.name.text, imported: "*", typeOnly, node: bindings.name });
  if (bindings && ts.isNamedImports(bindings)) {
    for (const s of bindings.elements) {
      out.push({ local: s.name.text, imported: (s.propertyName ?? s.name).text, typeOnly: typeOnly || s.isTypeOnly, node: s.name, specifier: s });
    }
  }
  return out;
}

function bindingNames(name: TS.BindingName): TS.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const out: TS.Identifier[] = [];
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    out.push(...bindingNames(element.name));
  }
  return out;
}

/** Identifiers a node refers to (property names after `.` and in object literals are not references). */
function references(node: TS.Node): Set<string> {
  const refs = new Set<string>();
  const visit = (n: TS.Node): void => {
    if (ts.isIdentifier(n)) {
      const parent = n.parent;
      const isName =
        parent &&
        ((ts.isPropertyAccessExpression(parent) && parent.name === n) ||
          (ts.isQualifiedName(parent) && parent.right === n) ||
          (ts.isPropertyAssignment(parent) && parent.name === n) ||
          (ts.isPropertySignature(parent) && parent.name === n) ||
          (ts.isPropertyDeclaration(parent) && parent.name === n) ||
          (ts.isMethodDeclaration(parent) && parent.name === n) ||
          (ts.isMethodSignature(parent) && parent.name === n));
      if (!isName) refs.add(n.text);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return refs;
}

/** Where a prelude goes: after a `#!` line and leading `///` / `@ts-…` / `@jsx…` pragma lines (they must stay first). */
export function headerEnd(code: string): number {
  let at = 0;
  const lines = code.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const header = (i === 0 && line.startsWith("#!")) || /^\s*(\/\/\/\s*<|\/\/\s*@(ts-|jsx)|\/\*\*?\s*@(jsx|ts-))/.test(line);
    if (!header) break;
    at += line.length + 1;
  }
  return Math.min(at, code.length);
}

/** The statements a reader carries, in page order, with the names it must not see from them. */
interface Selection {
  statements: Statement[];
  /** Names a carried statement binds that the reader (or a later carried statement) binds too: renamed away. */
  hidden: Map<Statement, Set<string>>;
  /** Carried names the reader uses, name → the statement that declares it. */
  used: Map<string, Statement>;
}

function select(reader: CodeBlock, seen: readonly CodeBlock[], parsed: ParsedBlocks): Selection {
  const own = analyze(reader, parsed);
  const { statements, used, visible } = selectCarried(own, seen.map((b) => analyze(b, parsed).statements));
  const hidden = new Map<Statement, Set<string>>();
  for (const s of statements) {
    const names = new Set(s.declares.filter((n) => own.declares.has(n) || visible.get(n) !== s));
    if (names.size > 0) hidden.set(s, names);
  }
  return { statements, hidden, used };
}

/** A prelude of carried statements for type-checking, with where each piece came from. */
export interface Prelude {
  /** Block offset the prelude is inserted at (a line start). */
  insertAt: number;
  text: string;
  /** Pieces of `text`, in order: prelude offsets [start, end) came from `block` at `origin`. */
  pieces: { start: number; end: number; block: CodeBlock; origin: number }[];
  /** Carried names the reader uses → the block and block offset of their declaration. */
  used: Map<string, { block: CodeBlock; offset: number }>;
}

const HIDDEN_PREFIX = "__vd_shadowed_";

/**
 * The carried statements of `reader`, as text to insert before its code for the checker. `parsed`: the blocks parsed
 * so far by the caller's loop (each block is parsed once however many later blocks see it).
 */
export function checkPrelude(reader: CodeBlock, seen: readonly CodeBlock[], parsed: ParsedBlocks = new Map()): Prelude | undefined {
  if (seen.length === 0) return undefined;
  const { statements, hidden, used } = select(reader, seen, parsed);
  if (statements.length === 0) return undefined;
  let text = "";
  const pieces: Prelude["pieces"] = [];
  for (const s of statements) {
    const origin = s.node.getStart(s.sourceFile);
    const piece = carriedText(s, hidden.get(s));
    pieces.push({ start: text.length, end: text.length + piece.length, block: s.block, origin });
    text += piece + "\n";
  }
  const usedAt = new Map<string, { block: CodeBlock; offset: number }>();
  for (const [name, s] of used) usedAt.set(name, { block: s.block, offset: s.node.getStart(s.sourceFile) });
  return { insertAt: analyze(reader, parsed).insertAt, text, pieces, used: usedAt };
}

/** The statement's text without `export`/`default` modifiers, with hidden names renamed. */
function carriedText(s: Statement, hidden: Set<string> | undefined): string {
  const sf = s.sourceFile;
  const start = s.node.getStart(sf);
  const edits: { from: number; to: number; text: string }[] = [];
  if (ts.canHaveModifiers(s.node)) {
    for (const m of ts.getModifiers(s.node) ?? []) {
      if (m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword) edits.push({ from: m.getStart(sf), to: m.end, text: "" });
    }
  }
  if (hidden) {
    for (const { node, text } of renames(s, hidden)) edits.push({ from: node.getStart(sf), to: node.end, text });
  }
  edits.sort((a, b) => b.from - a.from);
  let text = sf.text.slice(start, s.node.end);
  for (const e of edits) text = text.slice(0, e.from - start) + e.text + text.slice(e.to - start);
  return text;
}

function renames(s: Statement, hidden: Set<string>): { node: TS.Node; text: string }[] {
  const out: { node: TS.Node; text: string }[] = [];
  const renamed = (name: string) => `${HIDDEN_PREFIX}${name}`;
  const node = s.node;
  if (ts.isImportDeclaration(node)) {
    for (const i of importNames(node)) {
      if (!hidden.has(i.local)) continue;
      if (i.specifier && !i.specifier.propertyName) out.push({ node: i.node, text: `${i.local} as ${renamed(i.local)}` });
      else out.push({ node: i.node, text: renamed(i.local) });
    }
  } else if (ts.isVariableStatement(node)) {
    for (const d of node.declarationList.declarations) {
      for (const id of bindingNames(d.name)) {
        if (!hidden.has(id.text)) continue;
        const parent = id.parent;
        const shorthand = ts.isBindingElement(parent) && !parent.propertyName && ts.isObjectBindingPattern(parent.parent);
        out.push({ node: id, text: shorthand ? `${id.text}: ${renamed(id.text)}` : renamed(id.text) });
      }
    }
  } else {
    const name = (node as { name?: TS.Node }).name;
    if (name && ts.isIdentifier(name) && hidden.has(name.text)) out.push({ node: name, text: renamed(name.text) });
  }
  return out;
}

/**
 * The syntax page context needs of each of a page's blocks, as plain data for the run stage's worker thread (which
 * then needs no compiler: src/context/run-carry.ts); undefined when no block sees another.
 */
export function carrySyntaxOf(blocks: readonly CodeBlock[]): Record<string, CarrySyntax> | undefined {
  if (!blocks.some((b) => b.context.length > 0)) return undefined;
  const parsed: ParsedBlocks = new Map();
  return Object.fromEntries(blocks.map((b) => [b.id, carrySyntax(b, parsed)]));
}

/** One block's top-level bindings, references and prelude point, as plain data. */
function carrySyntax(block: CodeBlock, parsed: ParsedBlocks): CarrySyntax {
  const a = analyze(block, parsed);
  return {
    insertAt: a.insertAt,
    declares: [...a.declares],
    values: [...a.values],
    refs: [...a.refs],
    statements: a.statements.map((s): CarriedStatement => {
      const node = s.node;
      const carried: CarriedStatement = { declares: s.declares, values: s.values, refs: [...s.refs] };
      if (ts.isImportDeclaration(node)) {
        const names = importNames(node).map(({ local, imported, typeOnly }) => ({ local, imported, typeOnly }));
        carried.import = { from: node.moduleSpecifier.getText(s.sourceFile), names, ...(node.attributes ? { attributes: node.attributes.getText(s.sourceFile) } : {}) };
      }
      return carried;
    }),
  };
}

/** The run-time carry of `reader` (src/context/run-carry.ts), reading the blocks' syntax here. */
export function runCarry(reader: CodeBlock, seen: readonly CodeBlock[]): RunCarry {
  const parsed: ParsedBlocks = new Map();
  return runCarryOf(reader, seen, (b) => carrySyntax(b, parsed));
}
