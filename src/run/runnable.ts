// Which blocks the run stage runs: asked by the pipeline on the main thread, which does not load the run stage's own
// modules (esbuild, the pool: they belong to the run stage's worker thread).
import type { CodeBlock } from "../types.js";

export function isRunnable(block: CodeBlock): boolean {
  return block.attrs.skip === undefined && !block.attrs.noRun;
}
