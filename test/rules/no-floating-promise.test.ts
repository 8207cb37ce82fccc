import { describe, it } from "vitest";
import rule from "../../rules/no-floating-promise.js";
import { RuleTester } from "../../src/lint/tester.js";

const helpers = `async function save(): Promise<number> { return 1; }
function maybe(): Promise<void> | void {}
`;

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "awaited", code: `${helpers}await save();\nexport {};` },
    { name: "voided on purpose", code: `${helpers}void save();` },
    { name: "rejection handled with catch", code: `${helpers}save().catch(console.error);` },
    { name: "rejection handled with then(ok, fail)", code: `${helpers}save().then(console.log, console.error);` },
    { name: "assigned", code: `${helpers}const pending = save();\nexport { pending };` },
    { name: "not a promise", code: `function sync(): number { return 1; }\nsync();` },
    { name: "nested: false ignores statements inside functions", options: { nested: false }, code: `${helpers}function run() {\n  save();\n}\nrun();` },
  ],
  invalid: [
    { name: "top-level call", code: `${helpers}save();`,
      errors: [{ messageId: "floating", line: 3, column: 1, endLine: 3, endColumn: 7 }] },
    { name: "then without a rejection handler", code: `${helpers}save().then((n) => console.log(n));`,
      errors: [{ messageId: "floating", line: 3, column: 1, endLine: 3, endColumn: 35 }] },
    { name: "a union that may be a promise", code: `${helpers}maybe();`,
      errors: [{ messageId: "floating", line: 3, column: 1, endLine: 3, endColumn: 8 }] },
    { name: "inside a function", code: `${helpers}async function run() {\n  save();\n}\nawait run();\nexport {};`,
      errors: [{ messageId: "floating", line: 4, column: 3, endLine: 4, endColumn: 9 }] },
  ],
});
