import ts from "../src/typescript.cjs";
import { skipOuter } from "../src/lint/ast.js";
import { defineRule } from "../src/lint/types.js";

export interface NoFloatingPromiseOptions {
  /** Also flag statements inside functions, not only at the top level of the example. Default true. */
  nested?: boolean;
}

/** `p.catch(h)` and `p.then(ok, fail)` handle the rejection; the result may still be ignored on purpose. */
function handlesRejection(expr: ts.Expression): boolean {
  if (!ts.isCallExpression(expr) || !ts.isPropertyAccessExpression(expr.expression)) return false;
  const method = expr.expression.name.text;
  return (method === "catch" && expr.arguments.length >= 1) || (method === "then" && expr.arguments.length >= 2);
}

function isTopLevel(statement: ts.Node): boolean {
  for (let n = statement.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return false;
  return true;
}

export default defineRule<NoFloatingPromiseOptions>({
  id: "no-floating-promise",
  meta: {
    description: "Disallow promise-returning calls whose result is neither awaited nor handled; an example's failure must not vanish.",
    severity: "warning",
    messages: {
      floating:
        "The promise from `{{call}}` is neither awaited nor handled: if it rejects, the example's failure is lost, and its output may come after the program ends. Add `await` (top-level await works in modules), or chain `.catch()` when fire-and-forget is intended.",
    },
    schema: { type: "object", properties: { nested: { type: "boolean" } } },
    hasSuggestions: true,
  },
  create(context, options) {
    const { checker } = context;
    const nested = options.nested ?? true;
    const isThenable = (expr: ts.CallExpression | ts.NewExpression): boolean => {
      // The signature the type-check resolved is cached on the call; asking for the call's type instead re-checks the
      // callee expression every time.
      const signature = checker.getResolvedSignature(expr);
      const type = signature ? checker.getReturnTypeOfSignature(signature) : checker.getTypeAtLocation(expr);
      // A union like `Promise<void> | void` (an exporter's return type) is still a promise to await.
      const parts = type.isUnion() ? type.types : [type];
      return parts.some((t) => {
        const then = t.getProperty("then");
        return then !== undefined && checker.getTypeOfSymbolAtLocation(then, expr).getCallSignatures().length > 0;
      });
    };
    return {
      ExpressionStatement(statement) {
        const expr = skipOuter(statement.expression);
        if (!ts.isCallExpression(expr) && !ts.isNewExpression(expr)) return;
        if (handlesRejection(expr) || (!nested && !isTopLevel(statement))) return;
        if (!isThenable(expr)) return;
        const text = expr.getText();
        const call = text.length > 40 ? `${text.slice(0, 37)}...` : text;
        context.report({
          node: expr,
          messageId: "floating",
          data: { call },
          suggestion: `await ${expr.getText()};`,
        });
      },
    };
  },
});
