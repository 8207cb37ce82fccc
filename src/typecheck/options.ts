// Compiler options for the block program: the user's tsconfig (with its `extends` chain) or sensible defaults,
// then a few overrides that documentation examples need (see docs: "How blocks are type-checked").
import path from "node:path";
import ts from "../typescript.cjs";
import { ConfigError } from "../errors.js";
import type { ProgramOptions } from "./program-types.js";

/** Defaults when the project has no tsconfig: what a modern bundler-based project would use. */
function defaultOptions(): ts.CompilerOptions {
  return {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
    // TS 6 defaults `types` to []; docs examples routinely use Node globals, so keep the pre-6 behaviour of
    // loading every package in node_modules/@types.
    types: ["*"],
    esModuleInterop: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    jsx: ts.JsxEmit.Preserve,
  };
}

/**
 * Options that only matter for emitting, or that would reject the virtual block files (a composite project
 * demands every file be listed in `include`; `rootDir` demands every file sit under it).
 */
const EMIT_ONLY: (keyof ts.CompilerOptions)[] = [
  "composite",
  "incremental",
  "tsBuildInfoFile",
  "emitDeclarationOnly",
  "declaration",
  "declarationMap",
  "declarationDir",
  "sourceMap",
  "inlineSourceMap",
  "inlineSources",
  "outDir",
  "outFile",
  "rootDir",
  "build",
];

export function compilerOptionsFor(options: ProgramOptions): ts.CompilerOptions {
  const base = options.tsconfig ? readTsconfig(options.tsconfig) : defaultOptions();
  const result: ts.CompilerOptions = { ...base };
  for (const key of EMIT_ONLY) delete result[key];
  Object.assign(result, {
    noEmit: true,
    // Every block is its own module, even without import/export, so top-level names never clash across blocks.
    moduleDetection: ts.ModuleDetectionKind.Force,
    allowJs: true,
    checkJs: options.checkJs,
    // Examples declare things to show them, not to use them; unused-name errors would be noise.
    noUnusedLocals: false,
    noUnusedParameters: false,
    // Blocks are checked, never transpiled one by one; isolatedModules would only add noise (e.g. re-exported types).
    isolatedModules: false,
    verbatimModuleSyntax: false,
    // `import { x } from "./x.ts"` is common in docs for Node's type stripping.
    allowImportingTsExtensions: true,
  } satisfies ts.CompilerOptions);
  result.skipLibCheck ??= true;
  // We pin TypeScript 6 while the user's project may use 5.x: deprecations of options (e.g. `baseUrl`) are about
  // our compiler version, not their docs, so they must not fail every page.
  result.ignoreDeprecations ??= "6.0";
  if (result.jsx === undefined) result.jsx = ts.JsxEmit.Preserve;
  return result;
}

/** Parses a tsconfig (following `extends`); `include`/`files`/`references` are ignored: only blocks are roots. */
export function readTsconfig(file: string): ts.CompilerOptions {
  const read = ts.readConfigFile(file, ts.sys.readFile);
  if (read.error) throw configError(file, read.error);
  const config: unknown = read.config;
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new ConfigError(`${file}: a tsconfig must hold a JSON object`, "fix the file or pass another with --tsconfig");
  }
  // A host that lists no files: resolving `include` would glob the whole project for nothing.
  const host: ts.ParseConfigHost = {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    readDirectory: () => [],
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
  };
  const sourceFile = ts.readJsonConfigFile(file, ts.sys.readFile);
  const parsed = ts.parseJsonSourceFileConfigFileContent(sourceFile, host, path.dirname(file), undefined, file);
  const errors = parsed.errors.filter(
    (d) => d.category === ts.DiagnosticCategory.Error && d.code !== NO_INPUTS_FOUND,
  );
  const first = errors[0];
  if (first) throw configError(file, first, errors.length - 1);
  return parsed.options;
}

/** TS18003 "No inputs were found in config file": expected, we list no files on purpose. */
const NO_INPUTS_FOUND = 18003;

function configError(file: string, diagnostic: ts.Diagnostic, more = 0): ConfigError {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  let where = file;
  if (diagnostic.file && diagnostic.start !== undefined) {
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    where = `${diagnostic.file.fileName}:${line + 1}:${character + 1}`;
  } else if (diagnostic.file) {
    where = diagnostic.file.fileName;
  }
  const extra = more > 0 ? ` (and ${more} more error${more === 1 ? "" : "s"})` : "";
  return new ConfigError(
    `${where}: invalid tsconfig: ${message} (TS${diagnostic.code})${extra}`,
    "fix the tsconfig (the type-check stage compiles the docs' code blocks with it) or pass another with --tsconfig",
  );
}
