// `validate-docs templates render --out DIR`: the generator behind the gate. Pages are written only when
// every variant passed (or with --force), each atomically (temp file + rename), so a failed run leaves
// the previous generated pages untouched.
import path from "node:path";
import type { CheckResult, Finding } from "../types.js";
import type { RenderResult } from "./render.js";
import { writeFileAtomic } from "../util/fs.js";

export interface RenderToDiskOptions {
  /** Write even when findings have errors. */
  force?: boolean;
  /** The check of the rendered pages; required unless `force`. */
  result?: CheckResult;
  /** Template-stage findings (from loadTemplateSets and renderVariants). */
  templateFindings?: Finding[];
}

export interface RenderToDiskResult {
  /** Absolute paths written. */
  written: string[];
  blocked: boolean;
  /** Why nothing was written, for the CLI to print. */
  reason?: string;
}

/** Number of error findings that block generation: on rendered pages or on templates. */
export function blockingErrors(rendered: RenderResult, result: CheckResult | undefined, templateFindings: Finding[] = []): number {
  const pages = new Set(rendered.pages.map((p) => p.path));
  const onPages = (result?.pages ?? []).filter((p) => pages.has(p.page)).flatMap((p) => p.findings);
  return [...onPages, ...templateFindings].filter((f) => f.severity === "error").length;
}


/**
 * Writes every rendered page to `outDir/<outRel>` (or its own path under `root` when outDir is undefined).
 */
export function renderToDisk(rendered: RenderResult, outDir: string | undefined, root: string, opts: RenderToDiskOptions = {}): RenderToDiskResult {
  if (!opts.force) {
    if (!opts.result) return { written: [], blocked: true, reason: "The rendered pages were not checked; run the check first or pass --force." };
    const errors = blockingErrors(rendered, opts.result, opts.templateFindings);
    if (errors) {
      return { written: [], blocked: true,
        reason: `${errors} error${errors === 1 ? "" : "s"} in the rendered variants; nothing was written. Fix the template lines above, or pass --force to write anyway.` };
    }
  }
  const written: string[] = [];
  for (const page of rendered.pages) {
    const file = outDir ? path.resolve(root, outDir, page.outRel) : path.resolve(root, page.path);
    writeFileAtomic(file, page.source);
    written.push(file);
  }
  return { written, blocked: false };
}
