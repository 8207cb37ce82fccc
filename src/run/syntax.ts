// What the run stage needs of each block's syntax: page context's top-level bindings (src/context/carry.ts) and
// the `// =>` value assertions (src/run/assertions.ts). Both come from the compiler's parser, so they are read
// where the compiler is loaded anyway (the pipeline, on the main thread) and cross into the run stage's worker
// thread as plain data: that thread then never loads the compiler (≈ 0.4 s of CPU per run).
import { carrySyntaxOf } from "../context/carry.js";
import type { CarrySyntax } from "../context/run-carry.js";
import type { CodeBlock } from "../types.js";
import { hasValueComment, valueSites, type ValueSite } from "./assertions.js";

export interface RunSyntax {
  /** Page context (present for every block of a page where some block sees another). */
  carry?: CarrySyntax;
  /** The block's `expr // => text` statements (present when its code has `// =>`). */
  values?: ValueSite[];
}

/** The run syntax of a page's blocks, by block id (blocks that need none are left out). */
export function runSyntaxOf(blocks: readonly CodeBlock[]): Record<string, RunSyntax> {
  const carry = carrySyntaxOf(blocks);
  const out: Record<string, RunSyntax> = {};
  for (const b of blocks) {
    const syntax: RunSyntax = {
      ...(carry?.[b.id] ? { carry: carry[b.id] } : {}),
      ...(hasValueComment(b.code) ? { values: valueSites(b.code, b.ext) } : {}),
    };
    if (syntax.carry || syntax.values) out[b.id] = syntax;
  }
  return out;
}
