// The TypeScript compiler, loaded with `require`. `import ts from "typescript"` from an ES module makes Node
// syntax-detect and lex the 9 MB CommonJS file for named exports before running it, which costs ≈ 1 s of CPU per
// process or worker thread; a plain `require` costs only the compile, and with V8's code cache
// (src/util/code-cache.cts) not even most of that. Every module takes `ts` from here.
import codeCache = require("./util/code-cache.cjs");
codeCache.preload(require.resolve("typescript"));
import ts = require("typescript");
export = ts;
