import { describe, it } from "vitest";
import rule from "../../rules/no-banned-api.js";
import { RuleTester } from "../../src/lint/tester.js";
import { acmeTracer } from "../fixtures/lint/acme-tracer.js";

const files = {
  ...acmeTracer,
  "node_modules/legacy-tracer/package.json": JSON.stringify({ name: "legacy-tracer", type: "module", types: "index.d.ts" }),
  "node_modules/legacy-tracer/index.d.ts": "export declare function start(): void;\n",
};
const staticInit = { module: "@acme/tracer", export: "Tracer.init", message: "construct with `new Tracer()`." };
const initFn = { module: "@acme/tracer", export: "init", message: "use `start()`.", replaceWith: "start" };
const property = { module: "@acme/tracer", export: "init", property: "instrumentors", message: "register them after init." };
const legacy = { module: "legacy-tracer", message: "it is unmaintained.", replaceWith: "@acme/tracer" };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "no bans configured", files, code: `import { Tracer } from "@acme/tracer";\nTracer.init({ apiKey: "k" });` },
    { name: "an allowed export of a banned-export module", files, options: { bans: [initFn] }, code: `import { httpInstrumentor } from "@acme/tracer";\nhttpInstrumentor();` },
    { name: "a local function with the banned name", files, options: { bans: [initFn, staticInit] }, code: `function init(o: object) { return o; }\ninit({});` },
    { name: "the banned property on an unrelated call", files, options: { bans: [property] }, code: `function init(o: object) { return o; }\ninit({ instrumentors: [] });` },
    { name: "the banned export called without the banned property", files, options: { bans: [property] }, code: `import { init } from "@acme/tracer";\ninit({ apiKey: "k" });` },
  ],
  invalid: [
    { name: "banned import path, with fix", files, options: { bans: [legacy] }, code: `import { start } from "legacy-tracer";\nstart();`,
      output: `import { start } from "@acme/tracer";\nstart();`,
      errors: [{ messageId: "bannedModule", line: 1, column: 23, endLine: 1, endColumn: 38 }] },
    { name: "banned import path via dynamic import and re-export", files, options: { bans: [{ module: "legacy-tracer", message: "no." }] },
      code: `export * from "legacy-tracer";\nconst mod = await import("legacy-tracer");\nmod.start();`,
      errors: [
        { messageId: "bannedModule", line: 1, column: 15, endLine: 1, endColumn: 30 },
        { messageId: "bannedModule", line: 2, column: 26, endLine: 2, endColumn: 41 },
      ] },
    { name: "banned static method call", files, options: { bans: [staticInit] }, code: `import { Tracer } from "@acme/tracer";\nTracer.init({ apiKey: "k" });`,
      errors: [{ messageId: "bannedExport", line: 2, column: 8, endLine: 2, endColumn: 12 }] },
    { name: "banned export: import and call, fixed together", files, options: { bans: [initFn] }, code: `import { init } from "@acme/tracer";\ninit({ apiKey: "k" });`,
      output: `import { start } from "@acme/tracer";\nstart({ apiKey: "k" });`,
      errors: [
        { messageId: "bannedExport", line: 1, column: 10, endLine: 1, endColumn: 14 },
        { messageId: "bannedExport", line: 2, column: 1, endLine: 2, endColumn: 5 },
      ] },
    { name: "banned export through an alias and a namespace", files, options: { bans: [{ ...initFn, replaceWith: undefined }] },
      code: `import { init as setup } from "@acme/tracer";\nimport * as sdk from "@acme/tracer";\nsetup({ apiKey: "k" });\nsdk.init({ apiKey: "k" });`,
      errors: [
        { messageId: "bannedExport", line: 1, column: 10, endLine: 1, endColumn: 23 },
        { messageId: "bannedExport", line: 3, column: 1, endLine: 3, endColumn: 6 },
        { messageId: "bannedExport", line: 4, column: 5, endLine: 4, endColumn: 9 },
      ] },
    { name: "fix through an alias and a namespace: the alias keeps its local name", files, options: { bans: [initFn] },
      code: `import { init as setup } from "@acme/tracer";\nimport * as sdk from "@acme/tracer";\nsetup({ apiKey: "k" });\nsdk.init({ apiKey: "k" });`,
      output: `import { start as setup } from "@acme/tracer";\nimport * as sdk from "@acme/tracer";\nsetup({ apiKey: "k" });\nsdk.start({ apiKey: "k" });`,
      errors: [
        { messageId: "bannedExport", line: 1, column: 10, endLine: 1, endColumn: 23 },
        { messageId: "bannedExport", line: 3, column: 1, endLine: 3, endColumn: 6 },
        { messageId: "bannedExport", line: 4, column: 5, endLine: 4, endColumn: 9 },
      ] },
    { name: "banned property, literal and via a variable", files, options: { bans: [property] },
      code: `import { init } from "@acme/tracer";\nconst opts = { apiKey: "k", instrumentors: [] };\ninit({ apiKey: "k", instrumentors: [] });\ninit(opts);`,
      errors: [
        { messageId: "bannedProperty", line: 3, column: 21, endLine: 3, endColumn: 38 },
        { messageId: "bannedProperty", line: 4, column: 6, endLine: 4, endColumn: 10 },
      ] },
  ],
});
