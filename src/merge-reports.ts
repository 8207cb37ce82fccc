// `merge-reports DIR…`: joins the index.json results of `--shard k/n` runs into the result one run would give (same
// pages, findings, counts, levels, template groups). Fields that describe the run rather than the docs (timings,
// cache use) are combined, not compared; see docs/ci.md.
import { UsageError } from "./errors.js";
import { sameFindingKey, sortFindings, summarize } from "./pipeline.js";
import { groupTemplates } from "./templates/group.js";
import type { CacheStats, CheckResult, PageResult } from "./types.js";

/** One result from the shards' results: every shard exactly once, no page twice, counts recomputed. */
export function mergeResults(parts: { source: string; result: CheckResult }[]): CheckResult {
  if (parts.length === 0) throw new UsageError("merge-reports needs at least one report directory");
  const first = parts[0]!.result;
  const total = first.shard?.total;
  const seen = new Map<number, string>();
  for (const { source, result } of parts) {
    if (result.version !== first.version) throw new UsageError(`${source}: report format v${result.version}, but ${parts[0]!.source} is v${first.version}`, "merge reports written by the same validate-docs version");
    if (result.tool.version !== first.tool.version) {
      throw new UsageError(`${source}: written by validate-docs ${result.tool.version}, but ${parts[0]!.source} by ${first.tool.version}`, "run every shard with the same version");
    }
    const s = result.shard;
    if (!s) throw new UsageError(`${source}: not a shard report (run with --shard k/n)`, "merge the report directories of `--shard 1/n` … `--shard n/n`");
    if (s.total !== total) throw new UsageError(`${source}: shard ${s.index}/${s.total}, but ${parts[0]!.source} is one of ${total}`, "merge shards of one split");
    if (seen.has(s.index)) throw new UsageError(`shard ${s.index}/${s.total} given twice (${seen.get(s.index)} and ${source})`, "give each shard's report directory once");
    seen.set(s.index, source);
  }
  const missing = Array.from({ length: total! }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length) {
    // A gate that merged half the shards must not pass: that would hide every page of the missing ones.
    throw new UsageError(`shard${missing.length === 1 ? "" : "s"} ${missing.map((i) => `${i}/${total}`).join(", ")} missing`, "pass the report directory of every shard (a failed shard job still writes its reports)");
  }
  const pages: PageResult[] = [];
  const owner = new Map<string, { source: string; index: number }>();
  for (const { source, result } of parts) {
    for (const p of result.pages) {
      const seen = owner.get(p.page);
      if (!seen) {
        owner.set(p.page, { source, index: pages.length });
        pages.push(p);
        continue;
      }
      // A file that is not a checked page (a config setup file, the config file) is reported by every shard whose
      // pages it touched: its findings are joined, each once, as one run reports them.
      const before = pages[seen.index]!;
      if (!isFileReport(p) || !isFileReport(before)) {
        throw new UsageError(`page ${p.page} is in two shards (${seen.source} and ${source})`, "shards must come from the same checkout and the same options");
      }
      const keys = new Set(before.findings.map(sameFindingKey));
      pages[seen.index] = { ...before, findings: sortFindings([...before.findings, ...p.findings.filter((f) => !keys.has(sameFindingKey(f)))]) };
    }
  }
  pages.sort((a, b) => (a.page < b.page ? -1 : a.page > b.page ? 1 : 0));
  // Run-specific fields (they describe the machines, not the docs): stage timings add up (work done across
  // machines) and `total` is the slowest shard (the wall time of the matrix); cache use adds up.
  const timings: Record<string, number> = {};
  for (const { result } of parts) {
    for (const [k, v] of Object.entries(result.timings)) timings[k] = k === "total" ? Math.max(timings[k] ?? 0, v) : (timings[k] ?? 0) + v;
  }
  const { shard: _shard, baseline: _baseline, cache: _cache, templates: _templates, ...rest } = first;
  const stats = parts.map((p) => p.result.cache).filter((c) => c !== undefined);
  const cache = stats.length
    ? (Object.fromEntries(
        (["extract", "typecheck", "lint", "run"] as const).map((k) => [
          k,
          { hits: stats.reduce((n, c) => n + (c[k]?.hits ?? 0), 0), misses: stats.reduce((n, c) => n + (c[k]?.misses ?? 0), 0) },
        ]),
      ) as unknown as CacheStats)
    : undefined;
  // Each shard judged its own pages against the same baseline: the outcomes add up.
  const outcomes = parts.map((p) => p.result.baseline).filter((b) => b !== undefined);
  const baseline = outcomes.length
    ? {
        file: outcomes[0]!.file,
        suppressed: outcomes.reduce((n, b) => n + b.suppressed, 0),
        removable: outcomes.flatMap((b) => b.removable).sort((a, b) => (a.page < b.page ? -1 : a.page > b.page ? 1 : 0) || (a.line ?? 0) - (b.line ?? 0)),
      }
    : undefined;
  // Template groups span variants in several shards: grouped again from the joined pages. Every shard lists every
  // variant of the split in render order (see the pipeline), so the first shard with templates gives that order.
  const withTemplates = parts.find((p) => p.result.templates)?.result.templates;
  const templates = withTemplates ? groupTemplates(pages, withTemplates.flatMap((t) => t.variants.map((variant) => ({ template: t.template, variant })))) : undefined;
  return {
    ...rest,
    pages,
    summary: summarize(pages),
    timings,
    ...(cache ? { cache } : {}),
    ...(templates ? { templates } : {}),
    ...(baseline ? { baseline } : {}),
  };
}

/** A report on a file that is not a checked page: findings only (see the pipeline's `early` and setup files). */
function isFileReport(p: PageResult): boolean {
  return p.blocks.length === 0 && Object.values(p.counts).every((n) => n === 0) && p.skipReason === undefined;
}
