#!/usr/bin/env node
// Runs the built CLI (dist/). Build once with `npm run build`; no TypeScript loader at run time.
import { main } from "../dist/src/cli.js";
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    console.error(`validate-docs: internal error: ${err && err.stack ? err.stack : err}`);
    process.exitCode = 2;
  },
);
