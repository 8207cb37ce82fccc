import ts from "../src/typescript.cjs";
import { resolvedSymbol } from "../src/lint/ast.js";
import { defineRule } from "../src/lint/types.js";
import { withJsDoc } from "../src/typecheck/lazy-jsdoc.js";

export interface NoDeprecatedOptions {
  /** Qualified names (`Tracer.init`, `parse`) that may still be used. */
  allow?: readonly string[];
}

/** Identifiers that name what they declare or what they import: the use is elsewhere. */
function isDeclarationOrImportName(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (
    ts.isImportSpecifier(parent) ||
    ts.isImportClause(parent) ||
    ts.isNamespaceImport(parent) ||
    ts.isImportEqualsDeclaration(parent) ||
    ts.isExportSpecifier(parent)
  ) {
    return true;
  }
  return (parent as { name?: ts.Node }).name === node && !ts.isPropertyAccessExpression(parent) && !ts.isQualifiedName(parent);
}

/**
 * A symbol's deprecation (its JSDoc, inherited docs included), looked up once per symbol: a page uses `console` and
 * the same SDK names in every block. Symbols belong to one program, so a WeakMap never serves another program.
 */
const symbolDeprecation = new WeakMap<ts.Symbol, string | null>();
function deprecationOfSymbol(symbol: ts.Symbol, checker: ts.TypeChecker): string | undefined {
  let known = symbolDeprecation.get(symbol);
  if (known === undefined) {
    // Declaration files' JSDoc is parsed when asked for (src/typecheck/lazy-jsdoc.ts).
    withJsDoc(checker, symbol.name, symbol.declarations);
    known = deprecationOf(symbol.getJsDocTags(checker)) ?? null;
    symbolDeprecation.set(symbol, known);
  }
  return known ?? undefined;
}

function deprecationOf(tags: readonly ts.JSDocTagInfo[]): string | undefined {
  const tag = tags.find((t) => t.name === "deprecated");
  return tag ? ts.displayPartsToString(tag.text).trim() : undefined;
}

export default defineRule<NoDeprecatedOptions>({
  id: "no-deprecated",
  meta: {
    description: "Disallow using APIs whose declaration is marked @deprecated; documentation should teach the current API.",
    severity: "warning",
    messages: {
      deprecated: "`{{name}}` is deprecated: {{reason}} Readers copy examples, so show the current API instead.",
      deprecatedNoReason: "`{{name}}` is deprecated (its @deprecated tag gives no reason). Readers copy examples, so show the current API instead.",
    },
    schema: {
      type: "object",
      properties: { allow: { type: "array", items: { type: "string", minLength: 1 } } },
    },
  },
  create(context, options) {
    const { checker } = context;
    const allow = new Set(options.allow ?? []);

    /** For a call, the chosen overload decides (one deprecated overload must not flag the others). */
    const reasonAt = (node: ts.Identifier, symbol: ts.Symbol): string | undefined => {
      const call = callOf(node);
      if (call) {
        const signature = checker.getResolvedSignature(call);
        if (signature?.declaration && !ts.isJSDocSignature(signature.declaration)) {
          withJsDoc(checker, symbol.name, [signature.declaration]);
          const own = deprecationOf(signature.getJsDocTags());
          if (own !== undefined || (symbol.declarations?.length ?? 0) > 1) return own;
        }
      }
      return deprecationOfSymbol(symbol, checker);
    };

    return {
      Identifier(node) {
        if (isDeclarationOrImportName(node)) return;
        const symbol = resolvedSymbol(checker, node);
        if (!symbol || !symbol.declarations?.length) return;
        const reason = reasonAt(node, symbol);
        if (reason === undefined) return;
        const name = checker.getFullyQualifiedName(symbol).replace(/^"[^"]*"\./, "");
        if (allow.has(name) || allow.has(node.text)) return;
        if (reason === "") context.report({ node, messageId: "deprecatedNoReason", data: { name } });
        else context.report({ node, messageId: "deprecated", data: { name, reason: /[.!?]$/.test(reason) ? reason : `${reason}.` } });
      },
    };
  },
});

/** The call or `new` whose callee is this identifier (`f()`, `a.f()`, `new C()`). */
function callOf(node: ts.Identifier): ts.CallLikeExpression | undefined {
  const callee = ts.isPropertyAccessExpression(node.parent) && node.parent.name === node ? node.parent : node;
  const parent = callee.parent;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === callee) return parent;
  return undefined;
}
