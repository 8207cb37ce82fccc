// The one constructor of a CodeBlock: extract, the rule tester and test helpers all finish blocks here, so every
// block has every field (the module format included) and is frozen before any stage sees it.
import { moduleFormat } from "../module-format.js";
import type { CodeBlock, ModuleFormat } from "../types.js";
import { deepFreeze } from "../util/freeze.js";

/** A block's fields before it is finished; `format` is decided here unless the caller already knows it. */
export type BlockDraft = Omit<CodeBlock, "format" | "context"> & { format?: ModuleFormat; context?: readonly string[] };

/** Completes and deep-freezes a block. */
export function finishBlock(draft: BlockDraft): CodeBlock {
  const block: CodeBlock = { ...draft, format: draft.format ?? moduleFormat(draft), context: draft.context ?? [] };
  return deepFreeze(block);
}
