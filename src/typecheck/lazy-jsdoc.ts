// JSDoc on demand for the files a block program reads but never reports on (the lib .d.ts files). Parsing JSDoc is
// a large part of parsing them (lib.dom.d.ts is mostly MDN comments), and in a TypeScript file nothing the type-check
// reports depends on it: the checker reads JSDoc types and tags only in JavaScript files, and a TypeScript file's
// `@deprecated` only feeds suggestion diagnostics, which validate-docs never asks for. What does read it is the lint
// stage: `no-deprecated` asks for a symbol's JSDoc tags, inherited ones included. So these files are parsed with
// `JSDocParsingMode.ParseNone`, and before a rule asks, `withJsDoc` parses the JSDoc of the top-level statements
// holding the declarations it will look at (and the base members TypeScript looks at when a declaration has no tags
// of its own) and puts it in place, as the full parse would have: `getJsDocTags` then answers as before.
// A program whose lint stage runs a project's rule modules parses every file whole (src/analyze/index.ts): such a
// rule may read any JSDoc.
import ts from "../typescript.cjs";

/** Files parsed without JSDoc → the options they were parsed with (a fallback parses the whole file with them). */
const lazyFiles = new WeakMap<ts.SourceFile, ts.CreateSourceFileOptions>();
/** Top-level statements (or whole files) whose JSDoc is in place. */
const complete = new WeakSet<ts.Node>();

/** `options` (a target or full options) with `mode` for JSDoc. */
function withMode(options: ts.ScriptTarget | ts.CreateSourceFileOptions, mode: ts.JSDocParsingMode): ts.CreateSourceFileOptions {
  return { ...(typeof options === "number" ? { languageVersion: options } : options), jsDocParsingMode: mode };
}

/** Parse options for a file whose JSDoc is read on demand; `register` the file it gives. */
export function withoutJsDoc(options: ts.ScriptTarget | ts.CreateSourceFileOptions): ts.CreateSourceFileOptions {
  return withMode(options, ts.JSDocParsingMode.ParseNone);
}

/** Marks a file parsed with `withoutJsDoc(options)`. */
export function registerLazyFile(file: ts.SourceFile, options: ts.ScriptTarget | ts.CreateSourceFileOptions): void {
  lazyFiles.set(file, withMode(options, ts.JSDocParsingMode.ParseAll));
}

/**
 * Puts the JSDoc of `declarations` in place, and of every member TypeScript may inherit tags from when a declaration
 * has none of its own (`getJsDocTags(checker)`: the same-named property of each base type, recursively). `name` is
 * the symbol's name (a declaration's own bound symbol name is used when it has one).
 */
export function withJsDoc(checker: ts.TypeChecker, name: string, declarations: readonly ts.Node[] | undefined, seen = new Set<ts.Node>()): void {
  for (const declaration of declarations ?? []) {
    if (seen.has(declaration)) continue;
    seen.add(declaration);
    materialize(declaration);
    // As TypeScript's findBaseOfDeclaration, for static and instance members alike (a superset is harmless).
    const owner = declaration.parent?.kind === ts.SyntaxKind.Constructor ? declaration.parent.parent : declaration.parent;
    if (!owner || !(ts.isClassLike(owner) || ts.isInterfaceDeclaration(owner))) continue;
    const own = (declaration as { symbol?: ts.Symbol }).symbol?.name ?? name;
    const bases: ts.Node[] = [...(owner.heritageClauses ?? []).flatMap((c) => c.types)];
    const augments = ts.getJSDocAugmentsTag(owner);
    if (augments) bases.push(augments.class);
    for (const tag of ts.getJSDocImplementsTags(owner)) bases.push(tag.class);
    for (const node of bases) {
      const base = checker.getTypeAtLocation(node);
      for (const type of base.symbol ? [base, checker.getTypeOfSymbol(base.symbol)] : [base]) {
        withJsDoc(checker, own, checker.getPropertyOfType(type, own)?.declarations, seen);
      }
    }
  }
}

/**
 * Parses the JSDoc of the smallest unit holding `node` that can be parsed alone, if its file was parsed without, and
 * attaches it. Units: a top-level statement; inside it, the statement of a `declare module`/namespace body, or the
 * member of an interface or class, that holds `node` (and so on inward). A unit holds every node whose JSDoc
 * `getJSDocTags` reads for a declaration in it (the declaration's own, its variable statement's, its function's for a
 * parameter): one member of a 775 KB interface (ioredis' commands) or one function of `declare module "fs"` is
 * parsed, not the whole statement.
 */
function materialize(node: ts.Node): void {
  const file = node.getSourceFile();
  const options = lazyFiles.get(file);
  if (!options || complete.has(file)) return;
  let top = node;
  while (top.parent && top.parent !== file) top = top.parent;
  if (top === file) return;
  const units = [top];
  for (let inner = innerUnit(top, node); inner; inner = innerUnit(inner, node)) units.push(inner);
  if (units.some((u) => complete.has(u))) return;
  const wrapperAt = (i: number): Wrapper | undefined => (i === 0 ? (top.pos === 0 ? WRAPPERS.first : WRAPPERS.statement) : wrapperOf(units[i]!));
  /** `text` parsed alone in `wrapper`, with the file's name and options: the unit's parse, or undefined. */
  const parseAlone = (wrapper: Wrapper, text: string): ts.Node | undefined =>
    wrapper.pick(ts.createSourceFile(file.fileName, wrapper.before + text + wrapper.after, options, true));
  // The declaration is a module, interface or class itself (`import fs from "fs"` names `declare module "fs"`): its
  // own JSDoc is before its opening brace, so that part alone is parsed, with the brace closed at once.
  const last = units.length - 1;
  const header = node === units[last] ? bodyStart(node) : undefined;
  if (header !== undefined) {
    if (headers.has(node)) return;
    const wrapper = wrapperAt(last);
    if (wrapper && graft(node, parseAlone(wrapper, file.text.slice(node.pos, header) + "}"), node.pos - wrapper.before.length, true)) {
      headers.add(node);
      return;
    }
  }
  // Innermost first; a unit whose parse alone differs (it depends on what is around it) gives way to the one around it.
  for (let i = last; i >= 0; i--) {
    const unit = units[i]!;
    const wrapper = wrapperAt(i);
    if (!wrapper) continue;
    // The unit alone, with the file's name and options: the same nodes at positions `unit.pos - before.length` lower.
    // After an empty statement (or a container's opening) unless it starts the file: at the start of a file a comment
    // before the first line break belongs to the statement, elsewhere it does not.
    if (graft(unit, parseAlone(wrapper, file.text.slice(unit.pos, unit.end)), unit.pos - wrapper.before.length)) {
      complete.add(unit);
      return;
    }
  }
  // Anything else (a parse that depends on the rest of the file) falls back to the whole file.
  const whole = ts.createSourceFile(file.fileName, file.text, options, true);
  const index = file.statements.indexOf(top as ts.Statement);
  if (!graft(top, whole.statements[index], 0)) throw new Error(`validate-docs: cannot read the JSDoc of ${file.fileName} at ${top.pos}`);
  complete.add(top);
}

/** Modules, interfaces and classes whose own JSDoc (and their header's, before the opening brace) is in place. */
const headers = new WeakSet<ts.Node>();

/**
 * Where the members of an interface or class, or the statements of a module's body, start (just after the opening
 * brace); undefined for any other node and for a module whose body is a nested namespace (`namespace A.B`).
 */
function bodyStart(node: ts.Node): number | undefined {
  if (ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) return node.members.pos;
  if (ts.isModuleDeclaration(node) && node.body && ts.isModuleBlock(node.body)) return node.body.statements.pos;
  return undefined;
}

/** Whether `child` is a member of `node` (an interface or class) or its module body. */
function inBody(node: ts.Node, child: ts.Node): boolean {
  if (ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) return node.members.includes(child as ts.ClassElement & ts.TypeElement);
  return ts.isModuleDeclaration(node) && node.body === child;
}

/** How a unit is parsed alone: the text around it, and where its parse is in the result. */
interface Wrapper {
  before: string;
  after: string;
  pick(alone: ts.SourceFile): ts.Node | undefined;
}

/** The only statement after `skip` empty ones, or undefined. */
const statement = (alone: ts.SourceFile, skip: number): ts.Node | undefined => (alone.statements.length === skip + 1 ? alone.statements[skip] : undefined);
/** The only member of the only statement, a class or an interface. */
const member = (alone: ts.SourceFile): ts.Node | undefined => {
  const container = statement(alone, 0);
  const members = container && (ts.isClassDeclaration(container) || ts.isInterfaceDeclaration(container)) ? container.members : undefined;
  return members?.length === 1 ? members[0] : undefined;
};

const WRAPPERS = {
  first: { before: "", after: "", pick: (alone: ts.SourceFile) => statement(alone, 0) },
  statement: { before: ";", after: "", pick: (alone: ts.SourceFile) => statement(alone, 1) },
  interfaceMember: { before: "interface _{", after: "}", pick: member },
  classMember: { before: "declare class _{", after: "}", pick: member },
} satisfies Record<string, Wrapper>;

/** How a unit below the top-level statement is parsed alone; undefined: only as part of the unit around it. */
function wrapperOf(unit: ts.Node): Wrapper | undefined {
  const parent = unit.parent;
  if (ts.isInterfaceDeclaration(parent)) return WRAPPERS.interfaceMember;
  if (ts.isClassDeclaration(parent)) return WRAPPERS.classMember;
  // `global { … }` inside a module's body is a global augmentation only there.
  if (ts.isModuleBlock(parent)) return ts.isModuleDeclaration(unit) && unit.flags & ts.NodeFlags.GlobalAugmentation ? undefined : WRAPPERS.statement;
  return undefined;
}

/** The statement of a module's (or namespace's) body, or the member of an interface or class, that holds `node`. */
function innerUnit(unit: ts.Node, node: ts.Node): ts.Node | undefined {
  let holder: ts.ModuleBlock | ts.InterfaceDeclaration | ts.ClassDeclaration | undefined;
  if (ts.isModuleDeclaration(unit)) {
    let body = unit.body;
    while (body && ts.isModuleDeclaration(body)) body = body.body;
    if (body && ts.isModuleBlock(body)) holder = body;
  } else if (ts.isInterfaceDeclaration(unit) || ts.isClassDeclaration(unit)) {
    holder = unit;
  }
  if (!holder) return undefined;
  let n: ts.Node | undefined = node;
  while (n && n.parent !== holder) n = n.parent;
  // A member or statement (not the name, type parameters or heritage clauses of an interface or class).
  const parts: readonly ts.Node[] = ts.isModuleBlock(holder) ? holder.statements : holder.members;
  return n && parts.includes(n) ? n : undefined;
}

/**
 * Copies the JSDoc of `from` (a parse of the same text, positions `shift` lower) onto `to`, node by node; false when
 * the two trees differ (then nothing may be trusted and the caller parses more). `header`: `from` is `to` up to its
 * opening brace, closed at once; only `to` and what comes before its members or body are compared and copied.
 */
function graft(to: ts.Node, from: ts.Node | undefined, shift: number, header = false): boolean {
  const pairs: [ts.Node, ts.Node][] = [];
  const same = (a: ts.Node, b: ts.Node | undefined): boolean => {
    if (!b || a.kind !== b.kind || a.pos !== b.pos + shift || a.end !== b.end + shift) return false;
    pairs.push([a, b]);
    const as = children(a);
    const bs = children(b);
    return as.length === bs.length && as.every((c, i) => same(c, bs[i]));
  };
  if (header) {
    // `from` is the part before the opening brace, closed at once: the same node without its members, compared up to there.
    if (!from || to.kind !== from.kind || to.pos !== from.pos + shift) return false;
    pairs.push([to, from]);
    const as = children(to).filter((c) => !inBody(to, c));
    const bs = children(from).filter((c) => !inBody(from, c));
    if (as.length !== bs.length || !as.every((c, i) => same(c, bs[i]))) return false;
  } else if (!same(to, from)) {
    return false;
  }
  for (const [a, b] of pairs) {
    const docs = (b as { jsDoc?: ts.JSDoc[] }).jsDoc;
    const target = a as { jsDoc?: ts.JSDoc[] };
    if (!docs) {
      // An empty list holding an earlier (JSDoc-less) answer of getJSDocTags goes too.
      delete target.jsDoc;
      continue;
    }
    for (const doc of docs) {
      if (shift !== 0) move(doc, shift);
      (doc as { parent: ts.Node }).parent = a;
    }
    target.jsDoc = docs;
  }
  return true;
}

function children(node: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  ts.forEachChild(node, (c) => void out.push(c));
  return out;
}

/** Moves a JSDoc subtree (nodes and node lists) `shift` characters up. */
function move(node: ts.Node, shift: number): void {
  const n = node as { pos: number; end: number };
  n.pos += shift;
  n.end += shift;
  ts.forEachChild(
    node,
    (c) => void move(c, shift),
    (list) => {
      const l = list as unknown as { pos: number; end: number };
      l.pos += shift;
      l.end += shift;
      for (const c of list) move(c, shift);
    },
  );
}
