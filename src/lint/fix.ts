// `--fix`: applies the edits carried by findings to a page source, touching only the fixed spans.
import { applyEdits } from "../edit.js";
import type { Finding, Fix } from "../types.js";

export interface FixResult {
  /** The page text after the edits. */
  text: string;
  /** Findings whose fix was applied. */
  applied: Finding[];
  /** Findings with a fix that overlapped an earlier one (run --fix again to apply them). */
  skipped: Finding[];
}

export function applyFixes(source: string, findings: readonly Finding[]): FixResult {
  const owner = new Map<Fix, Finding>();
  for (const finding of findings) if (finding.fix) owner.set(finding.fix, finding);
  const { text, applied, dropped } = applyEdits(source, [...owner.keys()]);
  const pick = (fixes: Fix[]) => fixes.map((fix) => owner.get(fix)).filter((f): f is Finding => f !== undefined);
  return { text, applied: pick(applied), skipped: pick(dropped) };
}
