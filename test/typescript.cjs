// The compiler for tests run from sources, loaded with `require` as src/typescript.cts loads it in the build (the
// vitest config maps src's `./typescript.cjs` imports here). `module.exports = require("typescript")` would make
// Node's ESM loader lex the 9 MB compiler for named exports in every worker (≈ 0.4 s of CPU each); through a
// variable it does not look (every import of it takes the default export).
const ts = require("typescript");
module.exports = ts;
