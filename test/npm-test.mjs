// `npm test`: emit dist/ (the e2e tests run the built CLI), then run the tests, with the type check beside both.
// - The emit skips type checking (`--noCheck`: the same files as `npm run build`, byte for byte, from TypeScript 6,
//   the compiler the package is built with); the type check of src/, rules/ and test/ is `tsc -p test/tsconfig.json`,
//   which includes all three, so nothing goes unchecked.
// - The check is the native TypeScript 7 compiler's (the dev dependency `typescript7`, which the tool's own
//   `--typescript native` uses too): the same type system as TypeScript 6 (6.0 is the bridge release to 7.0; both
//   report the same errors on this repository and on a probe of its compiler options' errors) at ≈ 2 s of CPU for
//   the whole program from a clean clone, against ≈ 12 s for TypeScript 6's `tsc` (≈ 4 % of the suite's CPU).
//   `npm run build` and `npm run typecheck` still check src/ and rules/ (and test/, `typecheck`) with TypeScript 6.
// - That check starts with the emit and runs while vitest runs, so the second core works while the single-process
//   emit runs before vitest can start.
// The exit code is non-zero when the emit, the type check or a test fails. Arguments go to vitest.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(repo, "node_modules", name.split("/")[0], ...name.split("/").slice(1));
const TSC = bin("typescript/bin/tsc");
const TSC7 = bin("typescript7/bin/tsc");
const VITEST = bin("vitest/vitest.mjs");

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

const typecheck = run([TSC7, "-p", "test/tsconfig.json"]);
const emit = await run([TSC, "-p", "tsconfig.json", "--noCheck"]);
if (emit !== 0) fail(emit, "npm test: emitting dist/ failed (tsc -p tsconfig.json --noCheck)");
// The CLI runs from its bundle (scripts/bundle.mjs, the second half of `npm run build`).
const bundle = await run([path.join(repo, "scripts", "bundle.mjs")]);
if (bundle !== 0) fail(bundle, "npm test: bundling dist/bundle failed (node scripts/bundle.mjs)");

const [checked, tests] = await Promise.all([typecheck, run([VITEST, "run", ...process.argv.slice(2)])]);
if (checked !== 0) console.error("npm test: type errors (TypeScript 7: tsc -p test/tsconfig.json), see above");
process.exit(checked !== 0 ? checked : tests);
