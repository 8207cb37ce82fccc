// `disable=rule-a,ts2322,run/threw reason="…"` on a block: findings of those ids in that block are kept, as
// severity "info" with the author's reason, so the report shows what was accepted and why (never silently dropped).
// Lint rules are also switched off before they run (src/lint); this covers every other stage.
import type { CodeBlock, Finding } from "./types.js";

export function applyDisables(blocks: readonly CodeBlock[], findings: Finding[]): Finding[] {
  const reasons = new Map<string, Map<string, string>>();
  for (const block of blocks) {
    for (const { rules, reason } of block.attrs.disable ?? []) {
      const map = reasons.get(block.id) ?? new Map<string, string>();
      for (const id of rules) map.set(id.toLowerCase(), reason);
      reasons.set(block.id, map);
    }
  }
  if (!reasons.size) return findings;
  return findings.map((f) => {
    const reason = f.blockId ? reasons.get(f.blockId)?.get(f.ruleId.toLowerCase()) : undefined;
    if (reason === undefined || f.severity === "info") return f;
    return { ...f, severity: "info", message: `disabled (${reason || "no reason given"}): ${f.message}` };
  });
}
