import type ts from "../typescript.cjs";
import type { CodeBlock } from "../types.js";
import type { NativeSetting } from "./native-find.js";

/** One TypeScript program over every checked block, shared by the typecheck and lint stages. */
export interface BlockProgram {
  program: ts.Program;
  checker: ts.TypeChecker;
  /** The source file compiled for a block (undefined when the block is not in the program, e.g. skipped). */
  sourceFileOf(block: CodeBlock): ts.SourceFile | undefined;
  /** The block a (virtual) file name belongs to. */
  blockOf(fileName: string): CodeBlock | undefined;
  /**
   * Blocks TypeScript could not parse at all (nested too deeply for its recursive parser: the stack overflowed),
   * with the error; they are in the program as empty files so one block never takes the others down.
   */
  unparsed: ReadonlyMap<CodeBlock, string>;
  /**
   * Block-local text offset of source-file offset `pos`, or -1 when `pos` is inside the block's prelude (code
   * carried from earlier blocks of its page, see src/context/carry.ts).
   */
  toBlockOffset(block: CodeBlock, pos: number): number;
  /** For a `pos` inside the block's prelude: the earlier block and block offset the carried code came from. */
  carriedFrom(block: CodeBlock, pos: number): { block: CodeBlock; offset: number } | undefined;
  /** Carried names the block uses → where they are declared (an earlier block and its block offset). */
  carriedNames(block: CodeBlock): ReadonlyMap<string, { block: CodeBlock; offset: number }>;
}

export interface ProgramOptions {
  /** Absolute project root. */
  root: string;
  /** Absolute tsconfig path, if any. */
  tsconfig?: string;
  checkJs: boolean;
  /**
   * Text around a block that the checker sees and the reader does not, by block id (a type-only snippet is checked
   * as `export type __vd_type =\n…`); `code`, when set, replaces the block text with one of the same length.
   * Positions are mapped back with `toBlockOffset`. Plain data: the program may be built on a worker thread.
   */
  wraps?: Readonly<Record<string, { before: string; after: string; code?: string }>>;
  /**
   * Parse declaration files without their JSDoc, which rules then read on demand (src/typecheck/lazy-jsdoc.ts): for
   * programs whose rules are all the tool's own (a project's rule module may read any JSDoc).
   */
  lazyJsDoc?: boolean;
  /** The native TypeScript 7 fast path (option `typescript`, src/typecheck/native.ts); absent: TypeScript 6 only. */
  native?: NativeSetting;
}
