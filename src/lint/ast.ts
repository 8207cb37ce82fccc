// Type-aware helpers shared by the built-in rules and exported to user rules as `validate-docs/ast`: resolving
// callees through aliases, finding where an object property really comes from, and which package a symbol is
// declared in.
import ts from "../typescript.cjs";
import { declaredPackage, packageOf } from "../util/package-of.js";

/** Strips parentheses, `!`, `as`/`satisfies` and type assertions: `(sdk.init as F)!` → `sdk.init`. */
export function skipOuter(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isTypeAssertionExpression(e)
  ) {
    e = e.expression;
  }
  return e;
}

/** The name node of a callee (`init` in `init()`, `sdk.init()`, `Tracer?.init?.()`, `sdk["init"]()`). */
export function calleeNameNode(callee: ts.Expression): ts.Node | undefined {
  const e = skipOuter(callee);
  if (ts.isIdentifier(e)) return e;
  if (ts.isPropertyAccessExpression(e)) return e.name;
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) return e.argumentExpression;
  return undefined;
}

/** The symbol a node refers to, following import aliases (`import { init as setup }`) to the declaration. */
export function resolvedSymbol(checker: ts.TypeChecker, node: ts.Node): ts.Symbol | undefined {
  const symbol = checker.getSymbolAtLocation(node);
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** `Tracer.init` for a static method, `init` for a function, without the module prefix. */
export function qualifiedName(checker: ts.TypeChecker, symbol: ts.Symbol): string {
  return checker.getFullyQualifiedName(symbol).replace(/^"[^"]*"\./, "");
}

/** Whether `spec` ("init" or "Tracer.init") names `symbol` (or, unresolved, the name as written). */
export function matchesName(spec: string, qualified: string): boolean {
  return qualified === spec || qualified.endsWith(`.${spec}`);
}

/**
 * The package names a symbol is declared in: the `name` of the nearest package.json above the declaring file
 * (src/util/package-of.ts: the same answer through node_modules, a `file:`/workspace link or a path mapping;
 * `@types/foo` counts as `foo`), and the name of an enclosing ambient `declare module "x"`. `node:` prefixes are
 * dropped so `node:url` and `url` compare equal.
 */
export function declaringModules(symbol: ts.Symbol): Set<string> {
  const out = new Set<string>();
  for (const decl of symbol.declarations ?? []) {
    for (let n: ts.Node | undefined = decl; n; n = n.parent) {
      if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) out.add(normalizeModule(n.name.text));
    }
    const name = packageOf(decl.getSourceFile().fileName);
    if (name !== undefined) out.add(normalizeModule(declaredPackage(name)));
  }
  return out;
}

export function normalizeModule(name: string): string {
  return name.replace(/^node:/, "");
}

export type PropertySource = "literal" | "spread" | "variable";

export interface FoundProperty {
  /** Where to report: the property itself, or the spread / argument that brings it in. */
  node: ts.Node;
  via: PropertySource;
}

/**
 * Finds `property` in the object an argument evaluates to: written literally (incl. shorthand), brought in by a
 * spread, or held in a variable initialised earlier (in this block or, for script blocks, on the page). Values
 * of other origin count when their type has the property as required (an optional one may well be absent).
 */
export function findProperty(checker: ts.TypeChecker, arg: ts.Expression, property: string): FoundProperty | undefined {
  const e = skipOuter(arg);
  if (ts.isObjectLiteralExpression(e)) {
    for (const member of e.properties) {
      if (ts.isSpreadAssignment(member)) {
        if (hasProperty(checker, member.expression, property, 0)) return { node: member, via: "spread" };
      } else if (member.name && propertyNameText(member.name) === property) {
        return { node: member, via: "literal" };
      }
    }
    return undefined;
  }
  return hasProperty(checker, e, property, 0) ? { node: arg, via: "variable" } : undefined;
}

/** Whether the object `expr` evaluates to carries `property`. */
export function hasProperty(checker: ts.TypeChecker, expr: ts.Expression, property: string, depth: number): boolean {
  const e = skipOuter(expr);
  if (depth > 8) return false; // `const a = b; const b = a` style cycles do not type-check, but never loop
  if (ts.isObjectLiteralExpression(e)) {
    return e.properties.some((member) =>
      ts.isSpreadAssignment(member)
        ? hasProperty(checker, member.expression, property, depth + 1)
        : member.name !== undefined && propertyNameText(member.name) === property,
    );
  }
  if (ts.isIdentifier(e)) {
    const init = constInitializer(checker, e);
    if (init) return hasProperty(checker, init, property, depth + 1);
  }
  const prop = checker.getTypeAtLocation(e).getProperty(property);
  return prop !== undefined && !(prop.flags & ts.SymbolFlags.Optional);
}

export function propertyNameText(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

/** The initializer of the variable an identifier refers to, when that variable is never reassigned (`const`). */
function constInitializer(checker: ts.TypeChecker, id: ts.Identifier): ts.Expression | undefined {
  const symbol = resolvedSymbol(checker, id);
  const decl = symbol?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isIdentifier(decl.name)) return undefined;
  const list = decl.parent;
  // `let` options may be reassigned before the call; their declared type is the honest answer then.
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
  return decl.initializer;
}
