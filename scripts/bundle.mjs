// The second half of `npm run build`: bundles the CLI and its two worker threads from tsc's output (dist/src) into
// dist/bundle, which `bin/validate-docs.js` runs. Every CLI run otherwise resolves, reads, compiles and links
// ≈ 400 ES modules on its main thread (remark, micromark and mdast are most of them) and ≈ 50 on each worker
// thread, which costs more CPU than the modules' code does; a bundle is a few files (docs/performance.md, "The fixed
// cost of a run"). What stays as it is:
// - dist/src whole: the library API (`validate-docs`, `validate-docs/tester`, `validate-docs/ast`) and the run
//   stage's child processes (runner, page harness) load from there, and so do the rule modules a user
//   writes (src/lint/plugins.ts maps `validate-docs` to dist/src/lint/index.js);
// - the CommonJS shims (src/typescript.cts, src/util/code-cache.cts): imported from dist/src, so the compiler is
//   loaded once per thread through V8's code cache, whoever asks for it;
// - packages loaded at run time by path or `require` (the compiler, esbuild's API with its binary, Handlebars, the
//   YAML parser, a DOM library) stay packages.
// Lazily imported modules (`await import(…)`) stay lazy: they become chunks (`splitting`). Modules that look for
// their own files go through src/util/own-files.ts, which knows both layouts. The source map of each file maps to
// src/*.ts (esbuild reads tsc's maps): `node --enable-source-maps` shows the TypeScript lines in a stack trace.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const src = path.join(repo, "dist", "src");
const out = path.join(repo, "dist", "bundle");

/** Entry name (src/util/own-files.ts: `workerEntry`) → compiled module. */
const ENTRIES = {
  cli: "cli.js",
  "analyze-worker": "analyze/worker.js",
  "run-worker": "run/worker.js",
};

/** The CommonJS shims stay in dist/src: imported from there by a path relative to dist/bundle. */
const commonJsShims = {
  name: "validate-docs-cjs-shims",
  setup(build) {
    build.onResolve({ filter: /\.cjs$/ }, (args) => {
      const file = path.resolve(args.resolveDir, args.path);
      return { path: "./" + path.relative(out, file).split(path.sep).join("/"), external: true };
    });
  },
};

for (const file of Object.values(ENTRIES)) {
  if (!fs.existsSync(path.join(src, file))) {
    console.error(`bundle: ${path.join("dist/src", file)} is missing; run tsc first (npm run build does both)`);
    process.exit(1);
  }
}
fs.rmSync(out, { recursive: true, force: true });
await esbuild.build({
  entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(src, file)])),
  outdir: out,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  sourcesContent: false,
  external: ["typescript", "esbuild", "handlebars", "yaml", "happy-dom", "jsdom"],
  plugins: [commonJsShims],
  logLevel: "warning",
});
