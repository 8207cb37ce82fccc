import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { defineRule, loadPlugins } from "../../src/lint/index.js";
import { checkRuleCases, RuleTester, type RuleCases } from "../../src/lint/tester.js";
import { lintPage, pointOf, project } from "./helpers.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fence = (code: string) => "```ts\n" + code + "\n```\n";

const mjsRule = `export default {
  id: "no-todo",
  meta: { description: "No TODO strings.", severity: "warning", messages: { todo: "{{text}} left in an example" } },
  create(context) {
    return {
      StringLiteral(node) {
        if (node.text.startsWith("TODO")) context.report({ node, messageId: "todo", data: { text: node.text } });
      },
    };
  },
};
`;

const tsRule = `import ts from "typescript";
import { defineRule } from "validate-docs";
import { label } from "./label.js";

export default defineRule<{ name?: string }>({
  id: "no-any-cast",
  meta: {
    description: "No casts to any.",
    severity: "error",
    messages: { cast: label + " \`{{name}}\`" },
    schema: { type: "object", properties: { name: { type: "string" } } },
  },
  create(context, options) {
    return {
      AsExpression(node: ts.Node) {
        if (ts.isAsExpression(node) && node.type.kind === ts.SyntaxKind.AnyKeyword) {
          context.report({ node: node.type, messageId: "cast", data: { name: options.name ?? "any" } });
        }
      },
    };
  },
});
`;

describe("loadPlugins", () => {
  const root = project({
    "rules/no-todo.mjs": mjsRule,
    "rules/no-any-cast.ts": tsRule,
    "rules/label.ts": `export const label: string = "cast to";\n`,
    "docs/page.md": fence(`const x = "TODO: fill in";\nconst y = (x as any).length;\nconsole.log(y);`),
  });

  it("loads .mjs and .ts rules by path and runs them like built-ins", async () => {
    const plugins = await loadPlugins({ "no-todo": "rules/no-todo.mjs", "no-any-cast": "./rules/no-any-cast.ts" }, root);
    expect(Object.keys(plugins)).toEqual(["no-todo", "no-any-cast"]);
    const { page, findings } = lintPage(root, "docs/page.md", {
      plugins,
      rules: { "no-any-cast": ["warn", { name: "x" }] },
    });
    expect(findings.map((f) => [f.ruleId, f.severity, f.message, f.place.start])).toEqual([
      ["no-todo", "warning", "TODO: fill in left in an example", pointOf(page.source, '"TODO')],
      ["no-any-cast", "warning", "cast to `x`", pointOf(page.source, "any")],
    ]);
    // The transpiled temp file is removed again.
    expect(fs.readdirSync(path.join(root, "rules")).sort()).toEqual(["label.ts", "no-any-cast.ts", "no-todo.mjs"]);
  });

  it("accepts modules, { default } and promises, and rejects what is not a rule", async () => {
    const rule = defineRule({ id: "r", meta: { description: "d", severity: "error", messages: {} }, create: () => ({}) });
    const loaded = await loadPlugins({ r: Promise.resolve({ default: rule }) }, root);
    expect(loaded.r.meta.description).toBe("d");
    await expect(loadPlugins({ other: rule }, root)).rejects.toThrow(/module defines rule "r"/);
    await expect(loadPlugins({ x: { nope: true } }, root)).rejects.toThrow(ConfigError);
    await expect(loadPlugins({ x: "rules/missing.ts" }, root)).rejects.toThrow(/plugins\.x: rule module not found/);
    expect(() => lintPage(root, "docs/page.md", { plugins: { x: "rules/no-todo.mjs" } })).toThrow(/load it with loadPlugins/);
    expect(() => lintPage(root, "docs/page.md", { plugins: { "no-deprecated": rule } })).toThrow(/is a built-in rule/);
  });
});

describe("rule isolation", () => {
  const root = project({ "docs/page.md": fence(`const a = 1;\nconsole.log(a);`) });
  const crashing = (create: () => Record<string, unknown>) =>
    defineRule({ id: "bad", meta: { description: "d", severity: "error", messages: { m: "m" } }, create: create as never });

  it("turns a crashing rule into a finding and keeps the others running", () => {
    const rule = crashing(() => ({ Identifier: () => { throw new Error("boom"); } }));
    const { findings } = lintPage(root, "docs/page.md", { plugins: { bad: rule } });
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([["lint/rule-error", "error"]]);
    expect(findings[0].message).toContain('Rule "bad" failed on this block: boom');
  });

  it("gives rules frozen options", () => {
    const rule = defineRule<{ list?: string[] }>({
      id: "mutator",
      meta: { description: "d", severity: "error", messages: {}, schema: { type: "object", properties: { list: { type: "array" } } } },
      create(_context, options) {
        return { SourceFile: () => { options.list?.push("x"); } };
      },
    });
    const list = ["a"];
    const { findings } = lintPage(root, "docs/page.md", { plugins: { mutator: rule }, rules: { mutator: ["error", { list }] } });
    expect(findings.map((f) => f.ruleId)).toEqual(["lint/rule-error"]);
    expect(list).toEqual(["a"]);
    expect(Object.isFrozen(list)).toBe(false);
  });

  it("reports an unknown visitor key", () => {
    const rule = crashing(() => ({ CallExpresion: () => undefined }));
    const { findings } = lintPage(root, "docs/page.md", { plugins: { bad: rule } });
    expect(findings[0].message).toContain('unknown visitor key "CallExpresion"');
  });
});

describe("docs/custom-rules.md", () => {
  it("its example rule loads from a .ts path and reports process.exit()", async () => {
    const doc = fs.readFileSync(path.join(repo, "docs/custom-rules.md"), "utf8");
    const code = /```ts title="rules\/no-process-exit\.ts"[^\n]*\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(code).toBeDefined();
    const root = project({
      "rules/no-process-exit.ts": code!,
      "docs/page.md": fence(`console.log("done");\nprocess.exit(0);`) + "\n" + fence(`const process = { exit() {} };\nprocess.exit();`),
    });
    fs.mkdirSync(path.join(root, "node_modules/@types"), { recursive: true });
    fs.symlinkSync(path.join(repo, "node_modules/@types/node"), path.join(root, "node_modules/@types/node"), "dir");
    const plugins = await loadPlugins({ "no-process-exit": "./rules/no-process-exit.ts" }, root);
    const { page, findings } = lintPage(root, "docs/page.md", { plugins, rules: { "no-process-exit": "error" } });
    expect(findings.map((f) => [f.ruleId, f.place.start, f.place.end.column])).toEqual([
      ["no-process-exit", pointOf(page.source, "process.exit(0)"), pointOf(page.source, "process.exit(0)").column + 12],
    ]);

    // The page's RuleTester example, with its cases as written there (the tester throws on a mismatch).
    const testerCode = /```ts title="test\/no-process-exit\.test\.ts"\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";
    const cases = /run\(rule, (\{[\s\S]*\})\);/.exec(testerCode)?.[1];
    expect(cases).toBeDefined();
    const parsed = new Function(`return (${cases});`)() as RuleCases;
    expect(parsed.invalid).toHaveLength(1);
    new RuleTester({ describe: (_n, fn) => fn(), it: (_n, fn) => fn() }).run(plugins["no-process-exit"], parsed);
  });
});

describe("the rule API", () => {
  const root = project({ "docs/page.md": fence(`const a = 1;\nconsole.log(a);`) });
  const meta = { description: "d", severity: "error", messages: { here: "here: {{what}}" } } as const;

  it("stamps messageId and the rule's doc URL on each finding; report({ loc }) places it by block line/column", () => {
    const rule = defineRule({
      id: "at-loc",
      meta: { ...meta, docs: { url: "https://example.com/rules/at-loc" } },
      create(context) {
        return { SourceFile: () => context.report({ loc: { start: { line: 2, column: 9 }, end: { line: 2, column: 14 } }, messageId: "here", data: { what: "a" } }) };
      },
    });
    const { page, findings } = lintPage(root, "docs/page.md", { plugins: { "at-loc": rule } });
    const at = pointOf(page.source, "log(a)");
    expect(findings).toMatchObject([
      { ruleId: "at-loc", messageId: "here", message: "here: a", url: "https://example.com/rules/at-loc", place: { start: at, end: { line: at.line, column: at.column + 5 } } },
    ]);
  });

  it("every built-in rule's findings link its docs/rules/<id>.md", () => {
    const page = project({ "docs/p.md": fence(`async function f() {}\nf();`) });
    const { findings } = lintPage(page, "docs/p.md");
    const floating = findings.filter((f) => f.ruleId === "no-floating-promise");
    expect(floating).toHaveLength(1);
    expect(floating[0].url).toBe(pathToFileURL(path.join(repo, "docs/rules/no-floating-promise.md")).href);
    expect(fs.existsSync(fileURLToPath(floating[0].url!))).toBe(true);
  });

  it("a fix from a rule without meta.fixable, or a suggestion without meta.hasSuggestions, is a rule error", () => {
    const fixer = (fixable: boolean) =>
      defineRule({
        id: "fixer",
        meta: { ...meta, fixable },
        create(context) {
          return { NumericLiteral: (node) => context.report({ node, messageId: "here", data: { what: "n" }, fix: { node, text: "2" } }) };
        },
      });
    const suggester = defineRule({
      id: "suggester",
      meta,
      create(context) {
        return { NumericLiteral: (node) => context.report({ node, messageId: "here", data: { what: "n" }, suggestion: "use 2" }) };
      },
    });
    const crash = (rule: ReturnType<typeof fixer> | typeof suggester) =>
      lintPage(root, "docs/page.md", { plugins: { [rule.id]: rule } }).findings.map((f) => [f.ruleId, f.message.replace(/\. This is a bug.*/s, "")]);
    expect(crash(fixer(false))).toEqual([["lint/rule-error", 'Rule "fixer" failed on this block: reported a fix, but the rule does not declare `meta.fixable: true`']]);
    expect(crash(suggester)).toEqual([["lint/rule-error", 'Rule "suggester" failed on this block: reported a suggestion, but the rule does not declare `meta.hasSuggestions: true`']]);
    expect(crash(fixer(true))).toEqual([["fixer", "here: n"]]);

    const tester = new RuleTester({ describe: (_n, fn) => fn(), it: (_n, fn) => fn() });
    const cases: RuleCases<"here"> = { valid: [], invalid: [{ code: "const a = 1;", output: "const a = 2;", errors: [{ messageId: "here", line: 1, column: 11, endLine: 1, endColumn: 12 }] }] };
    expect(() => tester.run(fixer(false), cases)).toThrow(/does not declare `meta.fixable: true`/);
    tester.run(fixer(true), cases);
  });

  it("message ids are typed: report() accepts only keys of meta.messages", () => {
    const rule = defineRule({
      id: "typed",
      meta,
      create(context) {
        return {
          // @ts-expect-error "nowhere" is not a key of meta.messages
          SourceFile: (node) => context.report({ node, messageId: "nowhere" }),
        };
      },
    });
    const { findings } = lintPage(root, "docs/page.md", { plugins: { typed: rule } });
    expect(findings[0].message).toContain('reported unknown messageId "nowhere"');
  });

  it("validate-docs/ast: a user rule imports the type-aware helpers", async () => {
    const dir = project({
      "rules/no-log.ts": `import { calleeNameNode, resolvedSymbol, qualifiedName } from "validate-docs/ast";
import { defineRule } from "validate-docs";
export default defineRule({
  id: "no-log",
  meta: { description: "No console.log.", severity: "warning", messages: { log: "{{name}} in an example" } },
  create(context) {
    return {
      CallExpression(node) {
        const name = calleeNameNode(node.expression);
        const symbol = name && resolvedSymbol(context.checker, name);
        if (name && symbol && qualifiedName(context.checker, symbol) === "Console.log") context.report({ node: name, messageId: "log", data: { name: "console.log" } });
      },
    };
  },
});
`,
      "docs/page.md": fence(`console.log(1);`),
    });
    const plugins = await loadPlugins({ "no-log": "./rules/no-log.ts" }, dir);
    const { page, findings } = lintPage(dir, "docs/page.md", { plugins });
    expect(findings.map((f) => [f.ruleId, f.message, f.place.start])).toEqual([["no-log", "console.log in an example", pointOf(page.source, "log(1)")]]);
  });
});

describe("RuleTester: cases share a program where they can", () => {
  // Reports every identifier `leak` the checker resolves: a global declared by one case must not reach another.
  const resolvable = defineRule({
    id: "resolvable-leak",
    meta: { description: "d", severity: "error", messages: { found: "leak resolves" } },
    create(context) {
      return {
        Identifier(node) {
          if (node.text === "leak" && context.checker.getSymbolAtLocation(node)) context.report({ node, messageId: "found" });
        },
      };
    },
  });

  it("same names in two cases do not clash; a case declaring a global gets a program of its own", () => {
    const results = checkRuleCases(resolvable, [
      { code: "const a: number = 1;\nconsole.log(a);" },
      { code: "const a: string = 'x';\nconsole.log(a);" },
      { code: "declare global {\n  var leak: number;\n}\nleak;\nexport {};" },
      { code: "leak;" },
    ]);
    const [first, second, global, other] = results.map((r) => {
      if (r instanceof Error) throw r;
      return r;
    });
    expect(first.diagnostics).toEqual([]);
    expect(second.diagnostics).toEqual([]);
    expect(global.errors.map((e) => [e.line, e.column])).toEqual([
      [2, 7],
      [4, 1],
    ]);
    expect(other.errors).toEqual([]);
    expect(other.diagnostics).toEqual(["TS2304: Cannot find name 'leak'."]);
  });

  it("an error in one case fails that case only", () => {
    const thrower = defineRule({
      id: "thrower",
      meta: { description: "d", severity: "error", messages: { x: "x" } },
      create(context) {
        return {
          NumericLiteral: (node) => context.report({ node, messageId: "x" }),
          StringLiteral: () => {
            throw new Error("boom");
          },
        };
      },
    });
    const results = checkRuleCases(thrower, [{ code: "const s = 'x';" }, { code: "const n = 2;" }]);
    expect(results[0]).toBeInstanceOf(Error);
    expect((results[0] as Error).message).toContain("boom");
    expect(results[1]).toMatchObject({ errors: [{ messageId: "x", line: 1, column: 11, endLine: 1, endColumn: 12 }] });
  });
});
