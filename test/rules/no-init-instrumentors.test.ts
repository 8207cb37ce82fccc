import { describe, it } from "vitest";
import rule from "../../rules/no-init-instrumentors.js";
import { RuleTester } from "../../src/lint/tester.js";
import { acmeTracer as files } from "../fixtures/lint/acme-tracer.js";

const tester = new RuleTester({ describe, it });
const localInit = `function init(options: { apiKey: string; instrumentors?: string[] }) { return options; }\n`;

tester.run(rule, {
  valid: [
    { name: "the two-step pattern", files, code: `import { init, httpInstrumentor, registerInstrumentations } from "@acme/tracer";
const tracer = init({ apiKey: "k" });
registerInstrumentations(tracer, [httpInstrumentor()]);` },
    { name: "a value named instrumentors under another key", code: `${localInit}const instrumentors = ["http"];
init({ apiKey: "k", plugins: instrumentors } as { apiKey: string });` },
    { name: "another function", code: `function setup(o: { instrumentors: string[] }) { return o; }
setup({ instrumentors: [] });` },
    { name: "an annotated options variable where the property is optional and absent", files, code: `import { init, type InitOptions } from "@acme/tracer";
const options: InitOptions = { apiKey: "k" };
init(options);` },
    { name: "modules: an unrelated init from another package", files, options: { modules: ["@acme/tracer"] }, code: `import { init } from "other-sdk";
init({ instrumentors: ["http"] });` },
    { name: "modules: the user's own init", options: { modules: ["@acme/tracer"] }, code: `${localInit}init({ apiKey: "k", instrumentors: [] });` },
    { name: "callees: Tracer.init only", options: { callees: ["Tracer.init"] }, code: `${localInit}init({ apiKey: "k", instrumentors: [] });` },
  ],
  invalid: [
    { name: "literal property", code: `${localInit}init({ apiKey: "k", instrumentors: ["http"] });`,
      errors: [{ messageId: "passed", line: 2, column: 21, endLine: 2, endColumn: 44 }] },
    { name: "shorthand", code: `${localInit}const apiKey = "k";
const instrumentors = ["http"];
init({ apiKey, instrumentors });`,
      errors: [{ messageId: "passed", line: 4, column: 16, endLine: 4, endColumn: 29 }] },
    { name: "spread of an object that has it", code: `${localInit}const extra = { instrumentors: ["http"] };
init({ apiKey: "k", ...extra });`,
      errors: [{ messageId: "passedVia", line: 3, column: 21, endLine: 3, endColumn: 29 }] },
    { name: "options variable declared earlier", code: `${localInit}const options = { apiKey: "k", instrumentors: ["http"] };
const unrelated = 1;
init(options);`,
      errors: [{ messageId: "passedVia", line: 4, column: 6, endLine: 4, endColumn: 13 }] },
    { name: "let variable whose inferred type requires it", code: `${localInit}let options = { apiKey: "k", instrumentors: ["http"] };
init(options);`,
      errors: [{ messageId: "passedVia", line: 3, column: 6, endLine: 3, endColumn: 13 }] },
    { name: "aliased import", files, code: `import { init as setup, httpInstrumentor } from "@acme/tracer";
setup({ apiKey: "k", instrumentors: [httpInstrumentor()] });`,
      errors: [{ messageId: "passed", line: 2, column: 22, endLine: 2, endColumn: 57 }] },
    { name: "namespace import", files, code: `import * as sdk from "@acme/tracer";
sdk.init({ apiKey: "k", instrumentors: [] });`,
      errors: [{ messageId: "passed", line: 2, column: 25, endLine: 2, endColumn: 42 }] },
    { name: "static method Tracer.init with modules set", files, options: { modules: ["@acme/tracer"] }, code: `import { Tracer, httpInstrumentor } from "@acme/tracer";
const apiKey = "k";
const tracer = Tracer.init({ apiKey, instrumentors: [httpInstrumentor()] });`,
      errors: [{ messageId: "passed", line: 3, column: 38, endLine: 3, endColumn: 73 }] },
    { name: "optional chaining", code: `class HoneyHiveTracer {
  static init(options: { apiKey: string; instrumentors?: string[] }) { return options; }
}
const Tracer: typeof HoneyHiveTracer | undefined = HoneyHiveTracer;
Tracer?.init?.({ apiKey: "k", instrumentors: [] });`,
      errors: [{ messageId: "passed", line: 5, column: 31, endLine: 5, endColumn: 48 }] },
    { name: "static method of a local class", code: `class HoneyHiveTracer {
  static init(options: { apiKey: string; instrumentors?: string[] }) { return options; }
}
HoneyHiveTracer.init({ apiKey: "k", instrumentors: [] });`,
      errors: [{ messageId: "passed", line: 4, column: 37, endLine: 4, endColumn: 54 }] },
    { name: "option property", options: { property: "plugins" }, code: `function init(o: { plugins?: string[] }) { return o; }
init({ plugins: [] });`,
      errors: [{ messageId: "passed", line: 2, column: 8, endLine: 2, endColumn: 19 }] },
    { name: "callees: a custom name", options: { callees: ["configure"] }, code: `function configure(o: { instrumentors?: string[] }) { return o; }
configure({ instrumentors: [] });`,
      errors: [{ messageId: "passed", line: 2, column: 13, endLine: 2, endColumn: 30 }] },
  ],
});
