// Which module format a block runs as, decided once and used by both the checker and the runner, so the two can
// never disagree (a top-level `await` type-checked as CommonJS but run as ESM, or a `require` run as ESM).
//
// An explicit extension decides (`mjs`/`mts` → ESM, `cjs`/`cts` → CommonJS). Otherwise, like Node's syntax
// detection: a block with ESM syntax (import/export declarations, top-level await) is ESM; one that uses
// `require`/`module.exports` and no ESM syntax is CommonJS; anything else is ESM.
import type ts from "./typescript.cjs";
import type { CodeBlock, ModuleFormat } from "./types.js";
import { typescript } from "./util/typescript.js";

const CJS_HINT = /\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w/;

export function moduleFormat(block: Pick<CodeBlock, "ext" | "code">): ModuleFormat {
  if (block.ext === ".mjs" || block.ext === ".mts") return "esm";
  if (block.ext === ".cjs" || block.ext === ".cts") return "cjs";
  if (!CJS_HINT.test(block.code)) return "esm";
  const ts = typescript();
  const kind = block.ext === ".tsx" ? ts.ScriptKind.TSX : block.ext === ".jsx" ? ts.ScriptKind.JSX : block.ext === ".js" ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile("block" + block.ext, block.code, ts.ScriptTarget.Latest, false, kind);
  return hasEsmSyntax(sf) ? "esm" : "cjs";
}

function hasEsmSyntax(sf: ts.SourceFile): boolean {
  const ts = typescript();
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) {
      if (ts.isExportAssignment(statement) && statement.isExportEquals) continue; // `export =` is CommonJS
      return true;
    }
    if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
    if (hasTopLevelAwait(statement)) return true;
  }
  return false;
}

function hasTopLevelAwait(node: ts.Node): boolean {
  const ts = typescript();
  if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) return true;
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
  return ts.forEachChild(node, hasTopLevelAwait) ?? false;
}
