// `--shard k/n` and `merge-reports`: scale out on the CI's own job matrix. Pages are split deterministically and
// balanced by block count (a page is never split: its blocks share one process and one page context); each shard
// writes a normal report set; `merge-reports` (src/merge-reports.ts) joins them into the result one run would give.
// Loaded by the config, so nothing heavy is imported here.
import { UsageError } from "./errors.js";

export function parseShard(spec: string): { index: number; total: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  const index = m ? Number(m[1]) : NaN;
  const total = m ? Number(m[2]) : NaN;
  if (!m || total < 1 || index < 1 || index > total) {
    throw new UsageError(`invalid --shard ${JSON.stringify(spec)}`, "write it as k/n with 1 ≤ k ≤ n, e.g. --shard 2/4");
  }
  return { index, total };
}

/**
 * Which pages shard `index` of `total` checks. Heaviest pages first, each to the shard with the fewest blocks so
 * far (ties: fewer pages, then the lower shard); the order is by weight then path, so every machine with the same
 * checkout computes the same split without talking to the others.
 */
export function shardPages<T extends { path: string }>(pages: T[], weight: (page: T) => number, index: number, total: number): T[] {
  const sorted = [...pages].map((p) => ({ p, w: weight(p) })).sort((a, b) => b.w - a.w || (a.p.path < b.p.path ? -1 : a.p.path > b.p.path ? 1 : 0));
  const load = Array.from({ length: total }, () => ({ blocks: 0, pages: 0 }));
  const mine: T[] = [];
  for (const { p, w } of sorted) {
    let best = 0;
    for (let i = 1; i < total; i++) {
      const a = load[i]!;
      const b = load[best]!;
      if (a.blocks < b.blocks || (a.blocks === b.blocks && a.pages < b.pages)) best = i;
    }
    load[best]!.blocks += w;
    load[best]!.pages += 1;
    if (best === index - 1) mine.push(p);
  }
  return mine;
}
