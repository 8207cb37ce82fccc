// `npm test`: emit dist/ (the e2e tests run the built CLI), then run the tests, with the type check beside both.
// - The emit skips type checking (`--noCheck`: the same files as `npm run build`, byte for byte); the type check of
//   src/, rules/ and test/ is `tsc -p test/tsconfig.json`, which includes all three, so nothing goes unchecked.
// - That check starts with the emit and runs while vitest runs: on two cores one tsc process would otherwise hold
//   the suite back for its whole duration with the other core idle (and the emit, one process, leaves a core idle
//   before vitest starts). It is incremental (state in node_modules/.cache, like the tool's own cache): a clean
//   clone checks everything (≈ 12 s of CPU), a repeated `npm test` only what changed (≈ 4 s).
// The exit code is non-zero when the emit, the type check or a test fails. Arguments go to vitest.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(repo, "node_modules", name.split("/")[0], ...name.split("/").slice(1));
const TSC = bin("typescript/bin/tsc");
const VITEST = bin("vitest/vitest.mjs");
const TSBUILDINFO = path.join(repo, "node_modules", ".cache", "validate-docs-tests", "tsconfig.tsbuildinfo");

const children = new Set();
/** Runs a command with inherited output; resolves to its exit code (1 when killed by a signal). */
const run = (args) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repo, stdio: "inherit" });
    children.add(child);
    child.on("error", (err) => {
      console.error(`npm test: ${err.message}`);
      resolve(1);
    });
    child.on("close", (code) => {
      children.delete(child);
      resolve(code ?? 1);
    });
  });

/** Stops what still runs (the type check when the emit failed) and exits. */
const fail = (code, message) => {
  console.error(message);
  for (const child of children) child.kill();
  process.exit(code || 1);
};

const typecheck = run([TSC, "-p", "test/tsconfig.json", "--incremental", "--tsBuildInfoFile", TSBUILDINFO]);
const emit = await run([TSC, "-p", "tsconfig.json", "--noCheck"]);
if (emit !== 0) fail(emit, "npm test: emitting dist/ failed (tsc -p tsconfig.json --noCheck)");
// The CLI runs from its bundle (scripts/bundle.mjs, the second half of `npm run build`).
const bundle = await run([path.join(repo, "scripts", "bundle.mjs")]);
if (bundle !== 0) fail(bundle, "npm test: bundling dist/bundle failed (node scripts/bundle.mjs)");

const [checked, tests] = await Promise.all([typecheck, run([VITEST, "run", ...process.argv.slice(2)])]);
if (checked !== 0) console.error("npm test: type errors (tsc -p test/tsconfig.json), see above");
process.exit(checked !== 0 ? checked : tests);
