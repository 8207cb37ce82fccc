// JavaScript blocks checked against the types of what they use (`check-js=typed`, the default; docs/real-world.md,
// "JavaScript blocks"). TypeScript's checkJs on untyped JavaScript is mostly noise: implicit `any`, `this` in plain
// functions, properties added to objects (`ws.isAlive = true`), strict null checks nobody asked a JS reader for, the
// DOM lib's wide types (`querySelector()` is an `Element`). What a docs team wants from a JS block is what a
// TypeScript user of the same library would be told: a property or method the library does not have, wrong arguments
// to one of its functions, an option key it does not know. So a diagnostic of a typed JS block is kept only when
//   - it is a syntax error, an import that does not resolve, or a name declared nowhere (the pipeline grades the
//     last kind and reports it only through the run: src/grade/undeclared.ts), or
//   - it is a misuse code (TYPED_API_CODES) whose subject — the value whose property is missing, the function that
//     was called wrongly — is declared by a library: a declaration file outside TypeScript's own lib and outside the
//     docs' blocks (a package, @types/node, the project's own source),
// and never when its cause is only `null`/`undefined` (JavaScript has no strict null checks), a function argument
// whose body was left out (`use(function () { /* ... */ })`), a property the block itself assigns (an expando), a
// property that one member of a union has (`argv` is `Args | Promise<Args>`), or a module namespace called as a
// function (`const Redis = require("ioredis"); new Redis()`: CommonJS interop the types do not model).
// Each exception is narrow and tested with a look-alike that must still fail (test/typecheck/js-typed.test.ts).
import ts from "../typescript.cjs";
import type { BlockProgram } from "./program-types.js";

/** Names declared nowhere: TS2304 and its variants ("did you mean", "install @types/node"), namespaces, shorthands. */
export const UNDECLARED_CODES: ReadonlySet<number> = new Set([2304, 2552, 2503, 2580, 2581, 2582, 2583, 2584, 18004]);

const PROPERTY_CODES = new Set([2339, 2551]);
const CALLEE_CODES = new Set([2349, 2351]);
/** Wrong arguments, unknown option keys, missing required options: judged by the function called. */
const CALL_CODES = new Set([2345, 2554, 2555, 2769, 2559, 2353, 2561, 2322, 2741, 2739, 2740]);
export const TYPED_API_CODES: ReadonlySet<number> = new Set([...PROPERTY_CODES, ...CALLEE_CODES, ...CALL_CODES]);

/** Whether a semantic diagnostic of a `check-js=typed` block is kept (see the head of this file). */
export function keepTypedJs(bp: BlockProgram, file: ts.SourceFile, d: ts.Diagnostic, always: ReadonlySet<number>): boolean {
  if (always.has(d.code) || UNDECLARED_CODES.has(d.code)) return true;
  if (!TYPED_API_CODES.has(d.code) || d.start === undefined || d.file !== file) return false;
  if (nullishOnly(d.messageText) || emptyObjectFilledLater(d.messageText)) return false;
  const node = nodeAt(file, d.start, d.length ?? 0);
  if (!node) return false;
  if (PROPERTY_CODES.has(d.code)) return missingPropertyOfLibrary(bp, file, node);
  if (CALLEE_CODES.has(d.code)) return calleeOfLibrary(bp, node);
  return callOfLibrary(bp, node);
}

/** The deepest node that covers [start, start + length). */
export function nodeAt(file: ts.SourceFile, start: number, length: number): ts.Node | undefined {
  const end = start + length;
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(file) <= start && node.getEnd() >= end) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  ts.forEachChild(file, visit);
  return found;
}

function leafOf(text: string | ts.DiagnosticMessageChain): string {
  let leaf = text;
  while (typeof leaf !== "string" && leaf.next?.length) leaf = leaf.next[0]!;
  return typeof leaf === "string" ? leaf : leaf.messageText;
}

/**
 * Only strict null checks complain: the innermost cause is `undefined` or `null`, or the value passed is an object
 * literal whose mismatch is a property the reader set to `undefined`/`null` on purpose (`{ 'content-type': undefined }`
 * to remove a header; TypeScript elaborates such a mismatch against another member of the target union).
 */
function nullishOnly(text: string | ts.DiagnosticMessageChain): boolean {
  if (/^Type '(?:undefined|null|null \| undefined|undefined \| null)' is not assignable/.test(leafOf(text))) return true;
  const head = typeof text === "string" ? text : text.messageText;
  const source = /^(?:Argument of type|Type) '(\{.*\})' is not assignable/.exec(head)?.[1];
  return source !== undefined && /^\{(?: [^:;]+: (?:undefined|null);)+ \}$/.test(source);
}

/** `const options = {}` filled later: JavaScript infers an empty object type without the index signature TS would give it. */
function emptyObjectFilledLater(text: string | ts.DiagnosticMessageChain): boolean {
  return /^Index signature for type '\w+' is missing in type '\{\}'/.test(leafOf(text));
}

/** Declared by a library: a declaration file that is neither one of TypeScript's lib files nor a block of the docs. */
function isLibraryFile(bp: BlockProgram, file: ts.SourceFile): boolean {
  return bp.blockOf(file.fileName) === undefined && !bp.program.isSourceFileDefaultLibrary(file);
}

/** A type a library declares (a package may add to a built-in like `Array`: that does not make it the package's). */
function declaredByLibrary(bp: BlockProgram, type: ts.Type): boolean {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const declarations = symbol?.declarations ?? [];
  return (
    declarations.some((d) => isLibraryFile(bp, d.getSourceFile())) &&
    !declarations.some((d) => bp.program.isSourceFileDefaultLibrary(d.getSourceFile()))
  );
}

function isDefaultLibPromise(bp: BlockProgram, type: ts.Type): boolean {
  const symbol = type.getSymbol();
  return symbol?.getName() === "Promise" && (symbol.declarations ?? []).every((d) => bp.program.isSourceFileDefaultLibrary(d.getSourceFile()));
}

/** `x.name` (or `const { name } = x`) where `x`'s type comes from a library and lacks `name`. */
function missingPropertyOfLibrary(bp: BlockProgram, file: ts.SourceFile, node: ts.Node): boolean {
  if (!ts.isIdentifier(node) && !ts.isPrivateIdentifier(node)) return false;
  const name = node.text;
  const receiver = receiverOf(node);
  if (!receiver) return false;
  // An expando: the block assigns the property itself (`ws.isAlive = true` … `if (!ws.isAlive)`).
  const assigned = new RegExp(`\\.${name.replace(/\$/g, "\\$")}\\s*=(?!=)`);
  if (assigned.test(file.text)) return false;
  const checker = bp.checker;
  const type = checker.getTypeAtLocation(receiver);
  if (type.isUnion()) {
    // JavaScript narrows by knowledge: a member of the union that has the property is the one the author means.
    if (type.types.some((t) => checker.getPropertyOfType(t, name) !== undefined || t.getStringIndexType() !== undefined)) return false;
    return type.types.some((t) => declaredByLibrary(bp, t));
  }
  // A missing `await`: the property is on what the library's Promise resolves to (`const { data } = axios.get(url)`).
  if (isDefaultLibPromise(bp, type)) {
    const awaited = checker.getAwaitedType(type);
    return awaited !== undefined && declaredByLibrary(bp, awaited) && checker.getPropertyOfType(awaited, name) !== undefined;
  }
  return declaredByLibrary(bp, type);
}

/** The expression whose property `name` is read: `x` in `x.name`, the initializer in `const { name } = x`. */
function receiverOf(name: ts.Node): ts.Node | undefined {
  const parent = name.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === name) return parent.expression;
  if (ts.isBindingElement(parent) && ts.isObjectBindingPattern(parent.parent)) {
    const declaration = parent.parent.parent;
    if (ts.isVariableDeclaration(declaration) && declaration.initializer) return declaration.initializer;
  }
  return undefined;
}

/** `new X()` / `x()` where `x` is a library's value (not a module namespace: CommonJS interop the types do not model). */
function calleeOfLibrary(bp: BlockProgram, node: ts.Node): boolean {
  const type = bp.checker.getTypeAtLocation(node);
  const symbol = type.getSymbol();
  if (symbol && symbol.flags & ts.SymbolFlags.ValueModule) return false;
  return declaredByLibrary(bp, type);
}

/**
 * A wrong argument, option key or argument count: kept when the function called (the nearest call that the
 * diagnostic's node is an argument of, through object and array literals only) is declared by a library.
 */
function callOfLibrary(bp: BlockProgram, node: ts.Node): boolean {
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (!parent || ts.isSourceFile(parent) || ts.isBlock(parent) || isStatement(parent)) return false;
    if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
      if (parent.arguments?.includes(current as ts.Expression) && elidedFunction(current)) return false;
      return signaturesOf(bp, parent).some((s) => s.declaration !== undefined && isLibraryFile(bp, s.declaration.getSourceFile()));
    }
    // A diagnostic inside a function passed as an argument is about that function's own code.
    if (ts.isFunctionLike(parent) && current !== node) return false;
    current = parent;
  }
}

function isStatement(node: ts.Node): boolean {
  return node.kind >= ts.SyntaxKind.FirstStatement && node.kind <= ts.SyntaxKind.LastStatement;
}

function signaturesOf(bp: BlockProgram, call: ts.CallExpression | ts.NewExpression): readonly ts.Signature[] {
  const type = bp.checker.getTypeAtLocation(call.expression);
  return ts.isNewExpression(call) ? type.getConstructSignatures() : type.getCallSignatures();
}

/** A function argument whose body is left out (`function () { /* ... *\/ }`): it stands for the reader's code. */
function elidedFunction(node: ts.Node): boolean {
  return (ts.isFunctionExpression(node) || ts.isArrowFunction(node)) && ts.isBlock(node.body) && node.body.statements.length === 0;
}
