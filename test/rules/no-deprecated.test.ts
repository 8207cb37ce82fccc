import { describe, it } from "vitest";
import rule from "../../rules/no-deprecated.js";
import { RuleTester } from "../../src/lint/tester.js";
import { acmeTracer as files } from "../fixtures/lint/acme-tracer.js";

const overloads = `/** @deprecated Pass an options object. */
function connect(url: string): void;
function connect(options: { url: string }): void;
function connect(arg: string | { url: string }): void { void arg; }
`;

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "current API", files, code: `import { Tracer } from "@acme/tracer";\nconst t = new Tracer({ serviceName: "s" });\nvoid t;` },
    { name: "importing a deprecated symbol is not itself a use", files, code: `import { Tracer } from "@acme/tracer";\nexport type T = Tracer;` },
    { name: "the non-deprecated overload", code: `${overloads}connect({ url: "x" });` },
    { name: "declaring a deprecated function", code: `/** @deprecated old */\nexport function old() {}` },
    { name: "allow option", files, options: { allow: ["Tracer.init"] }, code: `import { Tracer } from "@acme/tracer";\nTracer.init({ apiKey: "k" });` },
  ],
  invalid: [
    { name: "deprecated static method from a package", files, code: `import { Tracer } from "@acme/tracer";\nTracer.init({ apiKey: "k" });`,
      errors: [{ messageId: "deprecated", line: 2, column: 8, endLine: 2, endColumn: 12 }] },
    { name: "deprecated overload", code: `${overloads}connect("x");`,
      errors: [{ messageId: "deprecated", line: 5, column: 1, endLine: 5, endColumn: 8 }] },
    { name: "deprecated without a reason, through an alias", code: `/** @deprecated */\nconst legacy = 1;\nconst alias = legacy;\nexport { alias };`,
      errors: [{ messageId: "deprecatedNoReason", line: 3, column: 15, endLine: 3, endColumn: 21 }] },
    { name: "deprecated property read", code: `interface Config {\n  /** @deprecated Use \`url\`. */\n  host?: string;\n  url?: string;\n}\nconst c: Config = {};\nconsole.log(c.host);`,
      errors: [{ messageId: "deprecated", line: 7, column: 15, endLine: 7, endColumn: 19 }] },
  ],
});
