// esbuild's JavaScript API, loaded one way for every caller (the run stage's transpile, config and plugin files).
// It is a CommonJS module: `require` loads it in ≈ 15 ms of CPU, where `import` from an ES module took ≈ 50–75 ms
// (Node lexes the whole file for its named exports first). Loaded on first use, so a run that needs no esbuild
// does not pay for it.
import { createRequire } from "node:module";
import type * as EsbuildApi from "esbuild";

let api: typeof EsbuildApi | undefined;

export function esbuildApi(): typeof EsbuildApi {
  return (api ??= createRequire(import.meta.url)("esbuild") as typeof EsbuildApi);
}
