// `npm test`: emit dist/ (the e2e tests run the built CLI), then run the tests, with the type check beside both.
// Both are the native TypeScript 7 compiler's (the dev dependency `typescript7`, which `npm run build` and the
// tool's own `--typescript native` use too):
// - The emit skips type checking (`--noCheck`): the same files as `npm run build`, byte for byte, at ≈ 0.8 s of CPU
//   against ≈ 5 s for TypeScript 6's emit (whose dist/src/*.js are byte-identical to 7's; 7's source maps map at other
//   points of a line and one declaration file lists a union in another order).
// - The type check of src/, rules/ and test/ is `tsc -p test/tsconfig.json`, which includes all three, so nothing
//   goes unchecked: ≈ 2 s of CPU from a clean clone, against ≈ 12 s for TypeScript 6's `tsc`. Both report the same
//   errors on this repository and on a probe of its compiler options' errors (6.0 is the bridge release to 7.0);
//   `npm run typecheck` still checks everything with TypeScript 6, the compiler the tool uses at run time.
// - That check starts with the emit and runs while vitest runs, so the second core works while the single-process
//   emit runs before vitest can start.
// The exit code is non-zero when the emit, the type check or a test fails. Arguments go to vitest.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(repo, "node_modules", name.split("/")[0], ...name.split("/").slice(1));
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
const emit = await run([TSC7, "-p", "tsconfig.json", "--noCheck"]);
if (emit !== 0) fail(emit, "npm test: emitting dist/ failed (TypeScript 7: tsc -p tsconfig.json --noCheck)");
// The CLI runs from its bundle (scripts/bundle.mjs, the second half of `npm run build`).
const bundle = await run([path.join(repo, "scripts", "bundle.mjs")]);
if (bundle !== 0) fail(bundle, "npm test: bundling dist/bundle failed (node scripts/bundle.mjs)");

const [checked, tests] = await Promise.all([typecheck, run([VITEST, "run", ...process.argv.slice(2)])]);
if (checked !== 0) console.error("npm test: type errors (TypeScript 7: tsc -p test/tsconfig.json), see above");
process.exit(checked !== 0 ? checked : tests);
