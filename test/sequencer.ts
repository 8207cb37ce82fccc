// The order `npm test` starts test files in: each tier's longest files first.
//
// vitest's own order (BaseSequencer) runs one project after the other (every e2e file, then every unit file) and,
// without a record of earlier runs (a clean clone, CI), larger files first. On 2 cores that started the longest unit
// file (extract.test.ts, ≈ 12 s under load) near the end, where it ran alone: the last ≈ 15 s of a ≈ 110 s run used
// about one core. Longest first (the classic LPT schedule) lets the short files fill the gaps around the long ones.
//
// How long a file takes: vitest's record of the last run on this machine (node_modules/.vite/vitest, kept when
// tests pass) when there is one, else the estimate below, else nothing (then larger files first, as vitest does).
// The estimates are wall times of a whole `npm test` on 2 cores (f603d7c, the mean of 5 runs at load 2–7); they
// only order the queue, so a stale one costs some wall time and never a result. Files not listed take a few seconds
// or less.
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Measured wall time in ms of the files that take longest, as run by `npm test` (all files at once, 2 cores). */
const ESTIMATE_MS: Readonly<Record<string, number>> = {
  // e2e
  "test/real/real.test.ts": 30_000,
  "test/cli/new-user.test.ts": 28_000,
  "test/hostile/cases.test.ts": 22_000,
  "test/cli/native.test.ts": 22_000,
  "test/cli/interrupt.test.ts": 16_000,
  "test/cli/templates.test.ts": 15_000,
  "test/cli/pack.test.ts": 12_000,
  "test/cli/cache.test.ts": 12_000,
  "test/cli/code-cache.test.ts": 11_000,
  "test/cli/templates-git.test.ts": 10_000,
  "test/cli/corpus.test.ts": 10_000,
  "test/cli/incident.test.ts": 10_000,
  "test/cli/monorepo.test.ts": 9_000,
  "test/cli/run.test.ts": 9_000,
  "test/cli/grade.test.ts": 8_000,
  // unit
  "test/extract/extract.test.ts": 5_000,
  "test/report/html.test.ts": 3_000,
  "test/lint/plugins.test.ts": 2_500,
};

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const cost = (spec: TestSpecification): [number, number] => {
      const rel = path.relative(root, spec.moduleId).split(path.sep).join("/");
      const key = `${spec.project.name}:${rel}`;
      const duration = this.ctx.cache.getFileTestResults(key)?.duration ?? ESTIMATE_MS[rel] ?? 0;
      return [duration, this.ctx.cache.getFileStats(key)?.size ?? 0];
    };
    const costs = new Map(files.map((spec) => [spec, cost(spec)]));
    return [...files].sort((a, b) => {
      const [da, sa] = costs.get(a)!;
      const [db, sb] = costs.get(b)!;
      // One project after the other, as vitest does (vitest.config.ts also makes them separate groups): a worker is
      // reused only for a next file of its own project (its pool ends a worker whose next file is another
      // project's), and interleaving the tiers cost ≈ 20 s of CPU in new workers re-importing their modules.
      if (a.project.name !== b.project.name) return a.project.name < b.project.name ? -1 : 1;
      return db - da || sb - sa;
    });
  }
}
