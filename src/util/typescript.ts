// The compiler on first use, for modules that the run stage's worker thread loads (module format detection,
// `// =>` assertions): the worker must not pay for parsing the compiler when no block needs it. Loaded through the
// shim src/typescript.cts (V8's code cache); from sources (the unit tests) there is no built shim, and the package
// is loaded directly.
import { createRequire } from "node:module";
import type TS from "../typescript.cjs";
import { ownFile } from "./own-files.js";

let compiler: typeof TS | undefined;

function load(): typeof TS {
  const require = createRequire(import.meta.url);
  let shim = "typescript";
  try {
    shim = require.resolve(ownFile("typescript.cjs"));
  } catch {
    /* from sources */
  }
  return require(shim) as typeof TS;
}

export function typescript(): typeof TS {
  return (compiler ??= load());
}
