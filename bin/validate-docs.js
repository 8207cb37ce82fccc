#!/usr/bin/env node
// Runs the built CLI: the bundle dist/bundle/cli.js (scripts/bundle.mjs, from tsc's dist/src). Built by
// `npm run build` (and by `prepack`); no TypeScript loader at run time.
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
