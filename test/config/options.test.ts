// The option table (src/options.ts) is the one source: config validation, defaults, the CLI's --help, the config
// types' JSDoc and docs/configuration.md must all say what it says. Each check here fails when one drifts.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { resolveConfig, validateConfig } from "../../src/config.js";
import type { UserConfig } from "../../src/config-types.js";
import { ConfigError } from "../../src/errors.js";
import { CONFIG_OPTIONS, OPTIONS, REPORTER_IDS, defaultOf, helpText, jsdocText, optionsMarkdown, optionsOf } from "../../src/options.js";
import { reporters } from "../../src/report/index.js";
import { toOverrides, type Flags } from "../../src/cli-options.js";
import { REPO, makeProject, runCli } from "../helpers.js";

const REGENERATE = "regenerate it: npm run gen:docs";

/** UserConfig property → its JSDoc text, read from the source with the compiler. */
function userConfigDocs(): Map<string, string> {
  const file = path.join(REPO, "src/config-types.ts");
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const docs = new Map<string, string>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || node.name.text !== "UserConfig") return;
    for (const member of node.members) {
      const name = member.name && ts.isIdentifier(member.name) ? member.name.text : "?";
      const jsDoc = ts.getJSDocCommentsAndTags(member).find(ts.isJSDoc);
      docs.set(name, (ts.getTextOfJSDocComment(jsDoc?.comment) ?? "").replace(/\s*\n\s*/g, " ").replace(/\*\\\//g, "*/"));
    }
  });
  return docs;
}

describe("the option table", () => {
  it("docs/configuration.md carries the table generated from it", () => {
    const doc = fs.readFileSync(path.join(REPO, "docs/configuration.md"), "utf8");
    const section = /<!-- options-table:start[^>]*-->\n([\s\S]*?)\n<!-- options-table:end -->/.exec(doc)?.[1];
    expect(section, "docs/configuration.md lost its options-table markers").toBeDefined();
    expect(section, REGENERATE).toBe(optionsMarkdown());
    // Every config option and every flag of the default command has its row.
    for (const key of CONFIG_OPTIONS.keys()) expect(section).toContain(`| \`${key}\` |`);
    for (const o of optionsOf("check")) expect(section, o.flag).toContain(`\`${o.flag!.replace(/<([^>]+)>/g, (_, a: string) => a.toUpperCase())}\``);
  });

  it("UserConfig has exactly the table's config options, each documented with the table's text", () => {
    const docs = userConfigDocs();
    expect([...docs.keys()].sort()).toEqual([...CONFIG_OPTIONS.keys()].sort());
    for (const [key, option] of CONFIG_OPTIONS) expect(docs.get(key), `${key}: ${REGENERATE}`).toBe(jsdocText(option));
  });

  it("every option has a description and a type; config options have a check, flags are unique per command", () => {
    for (const o of OPTIONS) {
      expect(o.key ?? o.flag).toBeTruthy();
      expect(o.description.length, o.key ?? o.flag).toBeGreaterThan(5);
      expect(o.type).toBeTruthy();
      if (o.key) expect(o.check, o.key).toBeTypeOf("function");
    }
    for (const command of ["check", "templates", "init-hook"] as const) {
      const names = optionsOf(command).flatMap((o) => o.flag!.split(/[ ,]+/).filter((p) => p.startsWith("-")));
      expect(new Set(names).size, command).toBe(names.length);
    }
  });

  it("resolveConfig applies the table's defaults", async () => {
    const root = makeProject({});
    const config = await resolveConfig({ root });
    const resolved = config as unknown as Record<string, unknown>;
    let compared = 0;
    for (const [key, option] of CONFIG_OPTIONS) {
      if (!option.defaultValue || key === "out") continue;
      expect(resolved[key], key).toEqual(option.defaultValue());
      compared++;
    }
    expect(compared).toBeGreaterThan(15);
    expect(config.out).toBe(path.join(root, defaultOf("out")));
  });

  it("validation uses the table's checks, reports every problem at once and knows exactly the registered reporters", () => {
    expect(() => validateConfig({ memoryLimit: -1 }, "x.json")).toThrow(/`memoryLimit`.*positive integer/);
    expect(() => validateConfig({ reporters: ["html"] }, "x.json")).not.toThrow();
    expect(() => validateConfig({ reporters: ["htm"] }, "x.json")).toThrow(ConfigError);
    let message = "";
    try {
      validateConfig({ memoryLimit: -1, timeot: 5, reporters: ["jsn", "sarif="] }, "x.json");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("4 problems");
    expect(message).toContain("did you mean `timeout`?");
    expect(message).toContain("did you mean `json`?");
    expect(message).toContain("`sarif=` has an empty path");
    expect([...REPORTER_IDS].sort()).toEqual(Object.keys(reporters).sort());
    const ok: UserConfig = { reporters: Object.keys(reporters) };
    expect(validateConfig(ok as Record<string, unknown>, "x.json")).toEqual(ok);
  });

  it("--help shows every flag of each command with its help text", () => {
    const help = (args: string[]) => runCli([...args, "--help"], REPO).stdout.replace(/\s+/g, " ");
    for (const [command, args] of [["check", []], ["templates", ["templates"]], ["init-hook", ["init-hook"]]] as const) {
      const text = help([...args]);
      for (const o of optionsOf(command)) {
        expect(text, `${command} ${o.flag}`).toContain(o.flag!);
        expect(text, `${command} ${o.flag}`).toContain(helpText(o).replace(/\s+/g, " ").slice(0, 60));
      }
    }
  });
});

describe("flags become overrides", () => {
  it("every flag of a config option reaches resolveConfig under the option's key", () => {
    const camel = (flag: string) => flag.replace(/^--(no-)?/, "").replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    for (const o of optionsOf("check")) {
      if (!o.key) continue;
      const long = o.flag!.split(/[ ,]+/).find((p) => p.startsWith("--"))!;
      const negated = long.startsWith("--no-");
      const value = negated ? false : o.type === "boolean" ? true : o.type === "string[]" ? "json" : "5";
      const overrides = toOverrides({ [camel(long)]: value } as Flags, [long]) as Record<string, unknown>;
      expect(overrides[o.key], `${long} → ${o.key}`).toBeDefined();
    }
  });
});
