// One helper imports a user's module file (util/import-module.ts): config files and rule plugins both go through
// it, so TypeScript is bundled the same way for both, a syntax error names file:line:column for both, and neither
// leaves its temporary bundle behind.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfigFile } from "../../src/config.js";
import { ConfigError } from "../../src/errors.js";
import { loadPlugins } from "../../src/lint/plugins.js";
import { importModule, ModuleBuildError } from "../../src/util/import-module.js";
import { makeProject } from "../helpers.js";

const leftovers = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(".mjs") && f.includes("validate-docs."));

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

describe("importing a user module", () => {
  it("bundles a TypeScript config with its relative imports; packages resolve from the config's directory", async () => {
    const dir = makeProject({
      "node_modules/shared-settings/package.json": JSON.stringify({ name: "shared-settings", type: "module", main: "index.js" }),
      "node_modules/shared-settings/index.js": "export const timeout = 4321;\n",
      "config/memory.ts": "export const memoryLimit: number = 256;\n",
      "validate-docs.config.ts":
        'import { timeout } from "shared-settings";\nimport { memoryLimit } from "./config/memory";\nexport default { timeout, memoryLimit } satisfies Record<string, number>;\n',
    });
    expect(await loadConfigFile(path.join(dir, "validate-docs.config.ts"))).toEqual({ timeout: 4321, memoryLimit: 256 });
    expect(leftovers(dir)).toEqual([]);
  });

  it("a syntax error in a TypeScript config or rule is reported at file:line:column, and nothing is left behind", async () => {
    const dir = makeProject({
      "validate-docs.config.ts": "const a = 1;\nexport default { timeout: a +* 2 };\n",
      "rules/bad.ts": "export default {\n  meta: {},\n  create() { return { Identifier( } }\n};\n",
    });
    const config = await rejection(loadConfigFile(path.join(dir, "validate-docs.config.ts")));
    expect(config).toBeInstanceOf(ConfigError);
    expect(config.message).toMatch(/validate-docs\.config\.ts:2:\d+: /);
    expect((config as ConfigError).hint).toBe("fix the config file");
    const plugin = await rejection(loadPlugins({ bad: "rules/bad.ts" }, dir));
    expect(plugin).toBeInstanceOf(ConfigError);
    expect(plugin.message).toMatch(/^plugins\.bad: could not load .*bad\.ts: .*rules\/bad\.ts:3:\d+: /);
    const direct = await rejection(importModule(path.join(dir, "rules/bad.ts")));
    expect(direct).toBeInstanceOf(ModuleBuildError);
    expect((direct as ModuleBuildError).where).toMatch(/rules\/bad\.ts:3:\d+$/);
    expect(leftovers(dir)).toEqual([]);
  });

  it("a module that throws while loading: the config names the file, the plugin its id; JavaScript is imported as is", async () => {
    const dir = makeProject({
      "validate-docs.config.mts": 'throw new Error("no settings here");\nexport default {};\n',
      "rules/throws.mjs": 'throw new Error("rule module broke");\n',
      "rules/plain.mjs": "export const answer = 42;\n",
    });
    const config = await rejection(loadConfigFile(path.join(dir, "validate-docs.config.mts")));
    expect(config.message).toMatch(/validate-docs\.config\.mts: loading the config failed: no settings here/);
    const plugin = await rejection(loadPlugins({ thrower: "rules/throws.mjs" }, dir));
    expect(plugin).toBeInstanceOf(ConfigError);
    expect(plugin.message).toMatch(/^plugins\.thrower: could not load .*throws\.mjs: rule module broke/);
    expect(await importModule(path.join(dir, "rules/plain.mjs"))).toMatchObject({ answer: 42 });
    expect(leftovers(dir)).toEqual([]);
  });
});
