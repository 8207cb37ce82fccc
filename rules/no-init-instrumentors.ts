import type ts from "../src/typescript.cjs";
import { calleeNameNode, declaringModules, findProperty, matchesName, normalizeModule, qualifiedName, resolvedSymbol, skipOuter } from "../src/lint/ast.js";
import { defineRule } from "../src/lint/types.js";

export interface NoInitInstrumentorsOptions {
  /** Callee names; "init" matches any function or method named init, "Tracer.init" only that static method. */
  callees?: readonly string[];
  /** Only flag callees declared in these packages (resolved with the checker). Default: any. */
  modules?: readonly string[];
  /** The property that must not be passed. */
  property?: string;
}

const WHY =
  "instrumentors handed to init are wired before the tracer's provider is registered, so their spans are silently lost";

export default defineRule<NoInitInstrumentorsOptions>({
  id: "no-init-instrumentors",
  meta: {
    description: "Disallow passing instrumentors to an SDK's init(); initialise first, then register each instrumentor with the tracer's provider.",
    severity: "error",
    messages: {
      passed: `\`{{callee}}()\` is passed \`{{property}}\`: ${WHY}. Call \`{{callee}}()\` first, then register each instrumentor with the tracer's provider.`,
      passedVia: `\`{{callee}}()\` receives \`{{property}}\` through {{via}}: ${WHY}. Call \`{{callee}}()\` first, then register each instrumentor with the tracer's provider.`,
    },
    schema: {
      type: "object",
      properties: {
        callees: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
        modules: { type: "array", items: { type: "string", minLength: 1 } },
        property: { type: "string", minLength: 1 },
      },
    },
    hasSuggestions: true,
  },
  create(context, options) {
    const callees = options.callees ?? ["init"];
    const modules = options.modules?.map(normalizeModule);
    const property = options.property ?? "instrumentors";
    const { checker } = context;

    // A qualified name ends with the symbol's own name, so a symbol named otherwise cannot match (a cheap test
    // before the checker builds the qualified name). Synthetic names (`default`, `export=`, `__call`) are printed
    // differently, so they take the full path.
    const lastSegments = new Set(callees.map((spec) => spec.split(".").pop()));
    const cannotMatch = (symbol: ts.Symbol) =>
      !lastSegments.has(symbol.name) && symbol.name !== "default" && symbol.name !== "export=" && !symbol.name.startsWith("__");

    const isTargetCallee = (call: ts.CallExpression): boolean => {
      const nameNode = calleeNameNode(call.expression);
      if (!nameNode) return false;
      const symbol = resolvedSymbol(checker, nameNode);
      if (symbol && cannotMatch(symbol)) return false;
      if (modules) {
        if (!symbol) return false;
        const declared = declaringModules(symbol);
        if (!modules.some((m) => declared.has(m))) return false;
      }
      const name = symbol ? qualifiedName(checker, symbol) : nameNode.getText().replace(/^["']|["']$/g, "");
      return callees.some((spec) => matchesName(spec, name));
    };

    return {
      CallExpression(call) {
        if (!isTargetCallee(call)) return;
        const callee = skipOuter(call.expression).getText().replace(/\?\./g, ".");
        for (const arg of call.arguments) {
          const found = findProperty(checker, arg, property);
          if (!found) continue;
          const suggestion =
            `Call \`${callee}()\` without \`${property}\`, then register each instrumentor with the tracer's ` +
            `provider (for example \`instrumentor.instrument({ tracerProvider })\`, or the SDK's registration helper).`;
          if (found.via === "literal") {
            context.report({ node: found.node, messageId: "passed", data: { callee, property }, suggestion });
          } else {
            const via = found.via === "spread" ? "a spread object" : `\`${arg.getText()}\``;
            context.report({ node: found.node, messageId: "passedVia", data: { callee, property, via }, suggestion });
          }
        }
      },
    };
  },
});
