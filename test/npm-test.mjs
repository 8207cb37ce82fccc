// `npm test`: emit dist/ (the e2e tests run the built CLI), then type-check and run the tests side by side.
// - The emit skips type checking (`--noCheck`: the same files as `npm run build`, byte for byte); the type check of
//   src/, rules/ and test/ is `tsc -p test/tsconfig.json`, which includes all three, so nothing goes unchecked.
// - That check runs while vitest runs: on two cores one tsc process would otherwise hold the suite back for its
//   whole duration with the other core idle. It is incremental (state in node_modules/.cache, like the tool's own
//   cache): a clean clone checks everything (≈ 12 s of CPU), a repeated `npm test` only what changed (≈ 4 s).
// The exit code is non-zero when the emit, the type check or a test fails. Arguments go to vitest.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(repo, "node_modules", name.split("/")[0], ...name.split("/").slice(1));
const TSC = bin("typescript/bin/tsc");
const VITEST = bin("vitest/vitest.mjs");
const TSBUILDINFO = path.join(repo, "node_modules", ".cache", "validate-docs-tests", "tsconfig.tsbuildinfo");

const emit = spawnSync(process.execPath, [TSC, "-p", "tsconfig.json", "--noCheck"], { cwd: repo, stdio: "inherit" });
if (emit.status !== 0) {
  console.error("npm test: emitting dist/ failed (tsc -p tsconfig.json --noCheck)");
  process.exit(emit.status ?? 1);
}
// The CLI runs from its bundle (scripts/bundle.mjs, the second half of `npm run build`).
const bundle = spawnSync(process.execPath, [path.join(repo, "scripts", "bundle.mjs")], { cwd: repo, stdio: "inherit" });
if (bundle.status !== 0) {
  console.error("npm test: bundling dist/bundle failed (node scripts/bundle.mjs)");
  process.exit(bundle.status ?? 1);
}

/** Runs a command with inherited output; resolves to its exit code (1 when killed by a signal). */
const run = (args) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repo, stdio: "inherit" });
    child.on("error", (err) => {
      console.error(`npm test: ${err.message}`);
      resolve(1);
    });
    child.on("close", (code) => resolve(code ?? 1));
  });

const [typecheck, tests] = await Promise.all([run([TSC, "-p", "test/tsconfig.json", "--incremental", "--tsBuildInfoFile", TSBUILDINFO]), run([VITEST, "run", ...process.argv.slice(2)])]);
if (typecheck !== 0) console.error("npm test: type errors (tsc -p test/tsconfig.json), see above");
process.exit(typecheck !== 0 ? typecheck : tests);
