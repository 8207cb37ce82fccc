import os from "node:os";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { configDefaults, defineConfig } from "vitest/config";
import LongestFirst from "./test/sequencer.js";

// The CLI's V8 interrupt budget (bin/validate-docs.js: sixteen times the default, so V8 optimizes fewer functions
// it then hardly uses) for vitest's own process, set when it loads this config: that process holds the unit tier's
// worker threads, whose work is the CLI's (the compiler and the stages on small inputs), and transforms the test
// files. It changes when code is optimized, never what it computes. The unit tier alone on 2 threads: 20.4–21.2 s of
// CPU without, 18.1–18.2 s with (3 interleaved pairs; on 4 threads 23.2–24.0 against 20.3–20.9 s). The e2e forks and
// the CLI runs are other processes (the CLI sets it itself); the forks' own work is small (with it through `execArgv`:
// within the noise on two sets of e2e files, 2 pairs each).
v8.setFlagsFromString("--interrupt-budget=1081344");

// Tests spawn the real CLI, the real compiler and real child processes; no timing targets live here
// (performance belongs to `npm run bench`), so time limits are only a guard against hangs.
//
// Two tiers, both run by `npm test` (and CI) in one vitest run, one after the other (`groupOrder`: vitest runs
// projects with different worker counts as separate groups), the unit tier first:
// - unit: stages called in process (extract, typecheck, lint, rules, report, templates). Files share their
//   worker (threads, no per-file isolation), so TypeScript loads and the lib .d.ts files are parsed once per
//   worker instead of once per file. Its files are CPU-bound: it uses as many threads as there are cores (at least
//   2), since each more thread pays those imports again and finishes no sooner (on 2 cores, 2 threads against 4:
//   0.88× the tier's CPU, 5 paired runs). `npx vitest run --project unit` runs only this tier.
// - e2e: the CLI in a subprocess (test/cli, test/hostile) and the run stage's child processes (`--project e2e`).
//   Forks (the run stage's tests start and kill process trees), reused between files like the unit workers: a fresh
//   process and module graph per file cost ≈ 0.5 s of CPU each. Tests share no state but temp dirs, which
//   test/setup.ts removes after each file.
//
// Most e2e time is spent waiting on child processes, so more files run at once than there are cores:
// on 2 cores vitest's default (cores - 1) ran the suite file by file. VD_TEST_WORKERS overrides.
const workers = Number(process.env.VD_TEST_WORKERS) || Math.max(4, os.availableParallelism() * 2);
const cores = Math.min(workers, Math.max(2, os.availableParallelism()));

const E2E = [
  "test/cli/**/*.test.ts",
  "test/run/**/*.test.ts",
  "test/real/**/*.test.ts",
  "test/hostile/**/*.test.ts",
  "test/templates/hook.test.ts",
];

export default defineConfig({
  // src/typescript.cts (the compiler loaded with `require`, see there) is CommonJS TypeScript syntax that the test
  // transform cannot compile; from sources, src's imports of it and the tests' `import ts from "typescript"` load
  // test/typescript.cjs, which requires the same compiler package (imported as an ES module, Node would lex the 9 MB
  // file for named exports in every worker: ≈ 0.4 s of CPU each).
  resolve: {
    alias: [{ find: /^(?:(\.\.?\/)+(src\/)?typescript\.cjs|typescript)$/, replacement: fileURLToPath(new URL("test/typescript.cjs", import.meta.url)) }],
  },
  test: {
    // Generous: several CLI runs per test on a loaded 2-core machine can take minutes.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    maxWorkers: workers,
    setupFiles: ["test/setup.ts"],
    // Both tiers in one queue, longest file first (see there).
    sequence: { sequencer: LongestFirst },
    // One directory for the run's temp dirs, removed at the end (and by the next run if this one is killed).
    globalSetup: ["test/global-setup.ts"],
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts"], exclude: [...configDefaults.exclude, ...E2E], pool: "threads", isolate: false, maxWorkers: cores, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: "e2e", include: E2E, exclude: configDefaults.exclude, pool: "forks", isolate: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
