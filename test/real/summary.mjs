// The expected-summary of a page (what the snapshots in expected/ hold) and the set's numbers for measure.mjs,
// both computed from validate-docs' JSON report (docs/reports.md). Shared by real.test.ts and measure.mjs.

const SYNTAX = /^ts1\d{3}$/; // TypeScript's syntax diagnostics (1000–1999)
const RESOLVE = new Set(["ts2307", "ts2792", "ts7016", "ts2305", "ts2614"]);

/**
 * The level a block reached and why it stopped there. A report that records levels (issue 14 item 3) is used as
 * is; for an older report the level is derived: a syntax error stops at parse, a missing module or export at
 * resolve, a block no type-check stage saw (JavaScript without checkJs) stays at parse.
 */
export function blockLevel(block, findings) {
  if (typeof block.level === "string") {
    return { level: block.level, reason: block.stop?.reason ?? "" };
  }
  if (block.status === "skipped") return { level: "skipped", reason: block.skipReason ?? "" };
  const codes = findings.filter((f) => f.severity === "error").map((f) => f.ruleId);
  if (codes.some((c) => SYNTAX.test(c) || c === "run/transpile")) return { level: "parse", reason: "syntax error" };
  if (codes.some((c) => RESOLVE.has(c))) return { level: "resolve", reason: "module or export not found" };
  if (!block.checks.includes("typecheck")) {
    return { level: "parse", reason: block.checks.includes("run") ? "not type-checked (JavaScript), run" : "not type-checked (JavaScript)" };
  }
  if (block.checks.includes("run")) return { level: "run", reason: "" };
  return { level: "typecheck", reason: "run off" };
}

export function reachedTypecheck(level) {
  return level === "typecheck" || level === "run";
}

export function levelSource(report) {
  const any = report.pages.some((p) => p.blocks.some((b) => typeof b.level === "string"));
  return any ? "the report (block.level)" : "derived from findings (the report has no block.level)";
}

const inc = (obj, key, n = 1) => {
  obj[key] = (obj[key] ?? 0) + n;
};
const sorted = (obj) => Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The snapshot of one page: counts, blocks per status / level / reason, findings per code and severity. */
export function pageSummary(page) {
  const status = {};
  const levels = {};
  const reasons = {};
  const findings = {};
  for (const b of page.blocks) {
    inc(status, b.status);
    const mine = page.findings.filter((f) => f.blockId === b.id);
    const { level, reason } = blockLevel(b, mine);
    inc(levels, level);
    if (reason) inc(reasons, `${level}: ${reason}`);
  }
  for (const f of page.findings) inc(findings, `${f.ruleId} (${f.severity})`);
  return {
    counts: page.counts,
    blocks: page.blocks.length,
    status: sorted(status),
    levels: sorted(levels),
    reasons: sorted(reasons),
    findings: sorted(findings),
  };
}

/** The set's numbers (issue 14 "Done when"). */
export function summarize(report) {
  let blocks = 0;
  let blocksWithError = 0;
  let reached = 0;
  let reachedClean = 0;
  let errors = 0;
  let internal = 0;
  let unaccounted = 0;
  let fences = 0;
  const byLevel = {};
  const byReason = {};
  const errorsByCode = {};
  let maxOneCode = { count: 0, ruleId: "", blockId: "" };
  for (const page of report.pages) {
    const c = page.counts;
    fences += c.fences;
    // Every fence is a TS/JS block, another language, or an output fence (a block skipped by the run stage after
    // type-check is counted both as checked and as skipped, so the block list is the reference).
    unaccounted += Math.abs(c.fences - (page.blocks.length + c.otherLanguage + c.outputs));
    // A block is accounted for when a stage checked it or it was skipped with a reason.
    unaccounted += page.blocks.filter((b) => (b.status === "skipped" ? !b.skipReason : b.checks.length === 0)).length;
    for (const f of page.findings) {
      if (/internal|crash/.test(f.ruleId)) internal++;
      if (f.severity !== "error") continue;
      errors++;
      inc(errorsByCode, f.ruleId);
    }
    for (const b of page.blocks) {
      blocks++;
      const mine = page.findings.filter((f) => f.blockId === b.id);
      if (mine.some((f) => f.severity === "error")) blocksWithError++;
      const { level, reason } = blockLevel(b, mine);
      inc(byLevel, level);
      if (reason) inc(byReason, `${level}: ${reason}`);
      if (reachedTypecheck(level)) reached++;
      // Reached type-check and the checker found nothing wrong (a fragment whose names are undeclared reached
      // type-check, but the check said nothing about the library).
      // Only blocks the type-check stage looked at count (JavaScript without checkJs can reach `run` unchecked).
      const typeChecked = reachedTypecheck(level) && b.checks.includes("typecheck");
      if (typeChecked && !mine.some((f) => f.stage === "typecheck" && f.severity === "error")) reachedClean++;
      const perCode = {};
      for (const f of mine) inc(perCode, f.ruleId);
      for (const [ruleId, count] of Object.entries(perCode)) {
        if (count > maxOneCode.count) maxOneCode = { count, ruleId, blockId: b.id };
      }
    }
  }
  return {
    pages: report.pages.length,
    fences,
    blocks,
    blocksWithError,
    reachedTypecheck: reached,
    typecheckClean: reachedClean,
    errors,
    internal,
    unaccounted,
    maxOneCode,
    byLevel: sorted(byLevel),
    byReason: sorted(byReason),
    errorsByCode: Object.fromEntries(Object.entries(errorsByCode).sort((x, y) => y[1] - x[1])),
  };
}
