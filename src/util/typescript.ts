// The compiler on first use, for modules that the run stage's worker thread loads (module format detection,
// `// =>` assertions): the worker must not pay for parsing the compiler when no block needs it.
import { createRequire } from "node:module";
import type TS from "../typescript.cjs";

let compiler: typeof TS | undefined;

export function typescript(): typeof TS {
  return (compiler ??= createRequire(import.meta.url)("typescript") as typeof TS);
}
