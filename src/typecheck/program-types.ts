import type ts from "../typescript.cjs";
import type { CodeBlock } from "../types.js";

/** One TypeScript program over every checked block, shared by the typecheck and lint stages. */
export interface BlockProgram {
  program: ts.Program;
  checker: ts.TypeChecker;
  /** The source file compiled for a block (undefined when the block is not in the program, e.g. skipped). */
  sourceFileOf(block: CodeBlock): ts.SourceFile | undefined;
  /** The block a (virtual) file name belongs to. */
  blockOf(fileName: string): CodeBlock | undefined;
  /** Block-local text offset of source-file offset `pos` (0 unless a prelude is prepended). */
  toBlockOffset(block: CodeBlock, pos: number): number;
}

export interface ProgramOptions {
  /** Absolute project root. */
  root: string;
  /** Absolute tsconfig path, if any. */
  tsconfig?: string;
  checkJs: boolean;
}
