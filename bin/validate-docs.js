#!/usr/bin/env node
// Runs the built CLI: the bundle dist/bundle/cli.js (scripts/bundle.mjs, from tsc's dist/src). Built by
// `npm run build` (and by `prepack`); no TypeScript loader at run time.
import v8 from "node:v8";

// V8 optimizes a function with TurboFan, on a background thread, once it has run a while (its "interrupt budget").
// Most of a small run is the compiler's code on small inputs: at V8's default budget a one-page run spent ≈ 0.3 s of
// CPU optimizing functions it then hardly used. Sixteen times the budget, for this process and its worker threads
// (not the examples' processes): against four times, 0.91× the CPU of a one-page run, 0.85–0.90× of one with
// --no-run, 0.93–0.98× of the 100 × 5 corpus, but 1.05× of 300 × 5 with --no-run (docs/performance.md, "The fixed
// cost of a run"). Set once, at start: V8's code cache is keyed by the flags (src/util/code-cache.cts). It changes
// when code is optimized, never what it computes.
v8.setFlagsFromString("--interrupt-budget=1081344");

let cli;
try {
  cli = await import("../dist/bundle/cli.js");
} catch (err) {
  if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist")) {
    console.error("validate-docs: the tool is not built (dist/ is missing).");
    console.error("  hint: run `npm run build` in the validate-docs package, or install a published version");
  } else {
    console.error(`validate-docs: internal error while starting: ${err && err.stack ? err.stack : err}`);
  }
  process.exit(2);
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`validate-docs: internal error: ${err && err.stack ? err.stack : err}`);
    process.exitCode = 2;
  },
);
