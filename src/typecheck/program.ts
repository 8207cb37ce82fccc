// One TypeScript program over every checked block of one set of compiler options (never one per block: a program costs the parse and bind of
// every lib and dependency .d.ts, and N of them cost N times that). Each block is a virtual module file placed in
// its page's directory, so imports resolve exactly as they would from a file at the page's location.
import path from "node:path";
import ts from "../typescript.cjs";
import type { CodeBlock } from "../types.js";
import type { BlockProgram, ProgramOptions } from "./program-types.js";
import { compilerOptionsFor } from "./options.js";
import { checkPrelude, type ParsedBlocks, type Prelude } from "../context/carry.js";
import { registerLazyFile, withoutJsDoc } from "./lazy-jsdoc.js";

/** Prefix of virtual block file names; reports never show it (findings are mapped to page positions). */
export const VIRTUAL_PREFIX = "__vd_";

/**
 * The virtual file name of a block: in the page's directory, so module resolution (node_modules walking up,
 * `paths`, package self-reference, the nearest package.json `type`) behaves as for a real file there.
 * It is never written to disk.
 */
export function virtualFileName(root: string, block: CodeBlock, nodeModules = false): string {
  const dir = path.posix.dirname(block.page);
  const base = path.posix.basename(block.page);
  return normalize(path.join(root, dir, `${VIRTUAL_PREFIX}${base}_${block.index}${checkedExtension(block, nodeModules)}`));
}

/**
 * Under `module: node16/nodenext` TypeScript decides a `.ts` file's format from the nearest package.json `type`,
 * but the block runs in the format src/module-format.ts decided; name the file `.mts`/`.cts` so both agree.
 */
function checkedExtension(block: CodeBlock, nodeModules: boolean): string {
  if (!nodeModules) return block.ext;
  const esm = block.format === "esm";
  if (block.ext === ".ts") return esm ? ".mts" : ".cts";
  if (block.ext === ".js") return esm ? ".mjs" : ".cjs";
  return block.ext;
}

/**
 * Whether a block augments a module or the global scope (`declare module "x" { … }`, `declare global { … }`): what it
 * declares is visible to every block of the program, not only to itself.
 */
export function augments(block: CodeBlock): boolean {
  return /\bdeclare\s+(?:global\b|module\s+["'])/.test(block.code);
}

/** Whether a block takes part in the program: TS/JS blocks that are not skipped. */
export function isProgramBlock(block: CodeBlock): boolean {
  return block.attrs.skip === undefined && (block.kind === "ts" || block.kind === "js");
}

/**
 * `lenders`: blocks whose declarations the program's blocks may carry (page context) although they are not checked
 * now (their results are cached); default: the program's blocks.
 */
export function createBlockProgram(
  blocks: readonly CodeBlock[],
  options: ProgramOptions,
  lenders: readonly CodeBlock[] = blocks,
  beforeProgram?: BeforeProgram,
): BlockProgram {
  const compilerOptions = compilerOptionsFor(options);
  const module = compilerOptions.module ?? ts.ModuleKind.None;
  const nodeModules = module >= ts.ModuleKind.Node16 && module <= ts.ModuleKind.NodeNext;
  const byFile = new Map<string, CodeBlock>();
  const fileOf = new Map<CodeBlock, string>();
  const dirs = new Set<string>();
  const byId = new Map([...lenders, ...blocks].map((b) => [b.id, b]));
  const preludes = new Map<CodeBlock, Prelude>();
  const texts = new Map<CodeBlock, string>();
  const wrapped = new Map<CodeBlock, number>();
  // Each block's syntax tree for page context, while the preludes are laid out; the program parses its own.
  const parsed: ParsedBlocks = new Map();
  for (const block of blocks) {
    if (!isProgramBlock(block)) continue;
    const seen = block.context.map((id) => byId.get(id)).filter((b): b is CodeBlock => b !== undefined && isProgramBlock(b));
    // A type-only snippet or a value shown alone is checked inside its wrapper (src/grade), without page context.
    const wrap = options.wraps?.[block.id];
    const prelude = wrap ? undefined : checkPrelude(block, seen, parsed);
    if (wrap) {
      wrapped.set(block, wrap.before.length);
      texts.set(block, wrap.before + (wrap.code ?? block.code) + wrap.after);
    }
    if (prelude) {
      preludes.set(block, prelude);
      texts.set(block, block.code.slice(0, prelude.insertAt) + prelude.text + block.code.slice(prelude.insertAt));
    }
    const fileName = virtualFileName(options.root, block, nodeModules);
    byFile.set(fileName, block);
    fileOf.set(block, fileName);
    for (let dir = path.posix.dirname(fileName); !dirs.has(dir); dir = path.posix.dirname(dir)) {
      dirs.add(dir);
      if (dir === path.posix.dirname(dir)) break;
    }
  }
  parsed.clear();

  const textOf = (block: CodeBlock) => texts.get(block) ?? block.code;
  const unparsed = new Map<CodeBlock, string>();
  beforeProgram?.(compilerOptions, new Map([...byFile].map(([fileName, block]) => [fileName, textOf(block)])), dirs);
  const host = createHost(compilerOptions, options.root, byFile, dirs, textOf, unparsed, options.lazyJsDoc === true);
  const program = ts.createProgram({ rootNames: [...byFile.keys()], options: compilerOptions, host });
  const checker = program.getTypeChecker();

  return {
    program,
    checker,
    unparsed,
    sourceFileOf(block) {
      const fileName = fileOf.get(block);
      return fileName === undefined ? undefined : program.getSourceFile(fileName);
    },
    blockOf(fileName) {
      return byFile.get(normalize(fileName));
    },
    toBlockOffset(block, pos) {
      const before = wrapped.get(block);
      if (before !== undefined) return pos - before;
      const prelude = preludes.get(block);
      if (!prelude || pos < prelude.insertAt) return pos;
      const after = prelude.insertAt + prelude.text.length;
      return pos < after ? -1 : pos - prelude.text.length;
    },
    carriedFrom(block, pos) {
      const prelude = preludes.get(block);
      if (!prelude) return undefined;
      const at = pos - prelude.insertAt;
      const piece = prelude.pieces.find((p) => at >= p.start && at < p.end + 1);
      return piece ? { block: piece.block, offset: Math.min(piece.origin + (at - piece.start), piece.block.code.length) } : undefined;
    },
    carriedNames(block) {
      return preludes.get(block)?.used ?? new Map();
    },
  };
}

/**
 * Called with the program's virtual files (file name → the text the checker sees) and their folders once they are
 * laid out, before TypeScript builds the program: the native compiler starts on the same files here
 * (src/typecheck/native.ts).
 */
export type BeforeProgram = (options: ts.CompilerOptions, files: ReadonlyMap<string, string>, dirs: ReadonlySet<string>) => void;

function normalize(fileName: string): string {
  return fileName.replace(/\\/g, "/");
}

/**
 * Parsed lib .d.ts files, shared by every program in this process (tests, watch-like repeated calls). Lib files
 * never change while the process runs; parsing lib.dom.d.ts alone costs tens of milliseconds.
 */
const libCache = new Map<string, ts.SourceFile>();

function libCacheKey(fileName: string, opts: ts.ScriptTarget | ts.CreateSourceFileOptions): string {
  if (typeof opts === "number") return `${fileName}|${opts}`;
  return `${fileName}|${opts.languageVersion}|${opts.impliedNodeFormat ?? ""}|${opts.jsDocParsingMode ?? ""}`;
}

/** `.d.ts`, `.d.mts`, `.d.cts` and `.d.<ext>.ts` (allowArbitraryExtensions). */
const DECLARATION_FILE = /\.d\.(?:[cm]?ts|[^./\\]+\.ts)$/i;

function createHost(
  options: ts.CompilerOptions,
  root: string,
  byFile: Map<string, CodeBlock>,
  dirs: Set<string>,
  textOf: (block: CodeBlock) => string,
  unparsed: Map<CodeBlock, string>,
  lazyJsDoc: boolean,
): ts.CompilerHost {
  // Files other than the blocks are parsed without parent pointers: the binder sets them when the checker is made
  // (createBlockProgram asks for it at once), and setting them after each parse too cost ≈ 40 % of parsing the libs.
  const host = ts.createCompilerHost(options, false);
  const libDir = normalize(path.dirname(host.getDefaultLibFileName(options))) + "/";
  const { getSourceFile, fileExists, readFile, directoryExists, realpath } = host;
  const blockOf = (fileName: string) => byFile.get(normalize(fileName));

  return {
    ...host,
    getCurrentDirectory: () => root,
    getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) {
      const block = blockOf(fileName);
      if (block) {
        try {
          return ts.createSourceFile(fileName, textOf(block), languageVersionOrOptions, true);
        } catch (err) {
          // A 5,000-deep expression overflows the parser's stack: report the block, keep the program.
          unparsed.set(block, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
          return ts.createSourceFile(fileName, "export {};\n", languageVersionOrOptions, true);
        }
      }
      // Declaration files (the libs, @types, packages' typings) are parsed without their JSDoc when `lazyJsDoc`:
      // rules get it on demand (src/typecheck/lazy-jsdoc.ts).
      const lazy = lazyJsDoc && DECLARATION_FILE.test(fileName);
      const parseOptions = lazy ? withoutJsDoc(languageVersionOrOptions) : languageVersionOrOptions;
      const parse = () => {
        const file = getSourceFile.call(host, fileName, parseOptions, onError, shouldCreateNewSourceFile);
        if (file && lazy) registerLazyFile(file, languageVersionOrOptions);
        return file;
      };
      if (!normalize(fileName).startsWith(libDir)) return parse();
      const key = libCacheKey(normalize(fileName), parseOptions);
      let sourceFile = libCache.get(key);
      if (!sourceFile) {
        sourceFile = parse();
        if (sourceFile) libCache.set(key, sourceFile);
      }
      return sourceFile;
    },
    fileExists: (fileName) => blockOf(fileName) !== undefined || fileExists.call(host, fileName),
    readFile: (fileName) => {
      const block = blockOf(fileName);
      return block ? textOf(block) : readFile.call(host, fileName);
    },
    // A rendered template page may live in a directory that does not exist on disk.
    directoryExists: (dir) => dirs.has(normalize(dir).replace(/\/$/, "")) || (directoryExists?.call(host, dir) ?? true),
    realpath: realpath && ((p) => (blockOf(p) ? p : realpath.call(host, p))),
    writeFile: () => {
      // noEmit: nothing is ever written; a virtual block must never reach the disk.
    },
  };
}
