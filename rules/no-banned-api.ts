import ts from "../src/typescript.cjs";
import { calleeNameNode, declaringModules, findProperty, normalizeModule, propertyNameText, qualifiedName, resolvedSymbol } from "../src/lint/ast.js";
import { defineRule } from "../src/lint/types.js";

export interface Ban {
  module: string;
  export?: string;
  property?: string;
  message: string;
  replaceWith?: string;
}

export interface NoBannedApiOptions {
  bans?: readonly Ban[];
}

export default defineRule<NoBannedApiOptions>({
  id: "no-banned-api",
  meta: {
    description: "Disallow APIs your project has banned in config: an import path, a call or import of an export, or a property passed to one.",
    severity: "error",
    messages: {
      bannedModule: 'Importing "{{module}}" is banned in this project: {{message}}',
      bannedExport: '`{{name}}` from "{{module}}" is banned in this project: {{message}}',
      bannedProperty: '`{{property}}` passed to `{{name}}` from "{{module}}" is banned in this project: {{message}}',
    },
    schema: {
      type: "object",
      properties: {
        bans: {
          type: "array",
          items: {
            type: "object",
            required: ["module", "message"],
            properties: {
              module: { type: "string", minLength: 1 },
              export: { type: "string", minLength: 1 },
              property: { type: "string", minLength: 1 },
              message: { type: "string", minLength: 1 },
              replaceWith: { type: "string" },
            },
          },
        },
      },
    },
    fixable: true,
    hasSuggestions: true,
  },
  create(context, options) {
    const bans = options.bans ?? [];
    const { checker } = context;
    const moduleBans = bans.filter((b) => b.export === undefined && b.property === undefined);
    const exportBans = bans.filter((b) => b.export !== undefined);

    const replace = (ban: Ban, node: ts.Node, text: string) =>
      ban.replaceWith === undefined
        ? {}
        : { fix: { node, text }, suggestion: `Replace with \`${ban.replaceWith}\`.` };

    const checkSpecifier = (spec: ts.Expression | undefined) => {
      if (!spec || !ts.isStringLiteralLike(spec)) return;
      const path = normalizeModule(spec.text);
      for (const ban of moduleBans) {
        const banned = normalizeModule(ban.module);
        // Exact: banning `node:assert` must not ban its recommended replacement `node:assert/strict`.
        if (path !== banned) continue;
        const quote = spec.getText().charAt(0);
        const data = { module: ban.module, message: ban.message };
        context.report({ node: spec, messageId: "bannedModule", data, ...replace(ban, spec, `${quote}${ban.replaceWith}${quote}`) });
      }
    };

    /** The export ban a symbol falls under: declared in the banned package under the banned (qualified) name. */
    const banOf = (symbol: ts.Symbol | undefined, property: boolean): Ban | undefined => {
      if (!symbol || exportBans.length === 0) return undefined;
      const name = qualifiedName(checker, symbol);
      const modules = declaringModules(symbol);
      return exportBans.find(
        (b) => (b.property !== undefined) === property && b.export === name && modules.has(normalizeModule(b.module)),
      );
    };

    const checkCall = (call: ts.CallExpression | ts.NewExpression) => {
      const nameNode = calleeNameNode(call.expression);
      if (!nameNode) return;
      const symbol = resolvedSymbol(checker, nameNode);
      const direct = banOf(symbol, false);
      if (direct) {
        const data = { name: nameNode.getText(), module: direct.module, message: direct.message };
        // A local alias (`import { init as setup }`) keeps its name: the fix on the import renames what it points at.
        const isAlias = nameNode.getText() !== direct.export?.split(".").pop();
        context.report({ node: nameNode, messageId: "bannedExport", data, ...(isAlias ? {} : replace(direct, nameNode, direct.replaceWith ?? "")) });
      }
      const withProperty = banOf(symbol, true);
      if (!withProperty?.property) return;
      for (const arg of call.arguments ?? []) {
        const found = findProperty(checker, arg, withProperty.property);
        if (!found) continue;
        const data = { property: withProperty.property, name: nameNode.getText(), module: withProperty.module, message: withProperty.message };
        const named = ts.isPropertyAssignment(found.node) ? found.node.name : undefined;
        const fix = named && withProperty.replaceWith !== undefined ? replace(withProperty, named, withProperty.replaceWith) : {};
        context.report({ node: found.node, messageId: "bannedProperty", data, ...fix });
      }
    };

    return {
      ImportDeclaration(node) {
        checkSpecifier(node.moduleSpecifier);
        const bindings = node.importClause?.namedBindings;
        if (!bindings || !ts.isNamedImports(bindings)) return;
        for (const element of bindings.elements) {
          const ban = banOf(resolvedSymbol(checker, element.name), false);
          if (!ban) continue;
          const imported = element.propertyName ?? element.name;
          // Without an alias the local name changes with the fix; every call site is fixed the same way.
          const data = { name: propertyNameText(imported as ts.Identifier) ?? imported.getText(), module: ban.module, message: ban.message };
          context.report({ node: element, messageId: "bannedExport", data, ...replace(ban, imported, ban.replaceWith ?? "") });
        }
      },
      ExportDeclaration(node) {
        checkSpecifier(node.moduleSpecifier);
      },
      ImportEqualsDeclaration(node) {
        const ref = (node as ts.ImportEqualsDeclaration).moduleReference;
        if (ts.isExternalModuleReference(ref)) checkSpecifier(ref.expression);
      },
      CallExpression(node) {
        if (node.expression.kind === ts.SyntaxKind.ImportKeyword) checkSpecifier(node.arguments[0]);
        else checkCall(node);
      },
      NewExpression: checkCall,
    };
  },
});
