import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { applyFixes } from "../../src/lint/index.js";
import type { Finding } from "../../src/types.js";
import { acmeTracer } from "../fixtures/lint/acme-tracer.js";
import { lintPage, pointOf, project } from "./helpers.js";

const fence = (code: string, meta = "") => "```ts" + (meta ? ` ${meta}` : "") + "\n" + code + "\n```\n";

const evasions = [
  "# Evasions\n",
  fence(`import { Tracer, httpInstrumentor } from "@acme/tracer";\nconst tracer = Tracer.init({ apiKey: "k", instrumentors: [httpInstrumentor()] });`),
  fence(`import { init, httpInstrumentor } from "@acme/tracer";\nconst instrumentors = [httpInstrumentor()];\ninit({ apiKey: "k", instrumentors });`),
  fence(`import { init, httpInstrumentor } from "@acme/tracer";\nconst shared = { instrumentors: [httpInstrumentor()] };\ninit({ apiKey: "k", ...shared });`),
  fence(`import { init } from "@acme/tracer";\nconst options = { apiKey: "k", instrumentors: [] };\ninit(options);`),
  fence(`import { init as setup } from "@acme/tracer";\nsetup({ apiKey: "k", instrumentors: [] });`),
  fence(`import * as sdk from "@acme/tracer";\nsdk.init({ apiKey: "k", instrumentors: [] });`),
  "- In a list item:\n\n  ```ts\n  import { Tracer } from \"@acme/tracer\";\n  const T: typeof Tracer | undefined = Tracer;\n  T?.init?.({ apiKey: \"k\", instrumentors: [] });\n  ```\n",
  "> Quoted:\n>\n> ```ts\n> import { init } from \"other-sdk\";\n> init({ instrumentors: [\"http\"] });\n> ```\n",
].join("\n");

const twoStep = fence(`import { Tracer, httpInstrumentor, registerInstrumentations } from "@acme/tracer";
const tracer = new Tracer({ serviceName: "shop" });
registerInstrumentations(tracer, [httpInstrumentor()]);`);

function instrumentorFindings(findings: Finding[]) {
  return findings.filter((f) => f.ruleId === "no-init-instrumentors");
}

describe("no-init-instrumentors on real pages", () => {
  const root = project({ ...acmeTracer, "docs/evasions.md": evasions, "docs/two-step.md": twoStep });

  it("flags every evasion form at the exact page span, and the unrelated init only without `modules`", () => {
    const { page, findings } = lintPage(root, "docs/evasions.md");
    const spans = instrumentorFindings(findings).map((f) => [f.place.start.offset, f.place.end.offset]);
    const src = page.source;
    const at = (needle: string, nth = 0) => {
      const p = pointOf(src, needle, nth);
      return [p.offset, p.offset + needle.length];
    };
    const optionsArg = pointOf(src, "init(options)").offset + 5;
    expect(spans).toEqual([
      at("instrumentors: [httpInstrumentor()]"),
      at("instrumentors", 2),
      at("...shared"),
      [optionsArg, optionsArg + "options".length],
      at("instrumentors: []", 1),
      at("instrumentors: []", 2),
      at("instrumentors: []", 3),
      at('instrumentors: ["http"]'),
    ]);
    const listed = instrumentorFindings(findings)[6].place.start;
    expect(listed).toEqual(pointOf(src, "instrumentors: []", 3));
  });

  it("with `modules`, an unrelated init from another package is not flagged", () => {
    const { findings } = lintPage(root, "docs/evasions.md", {
      rules: { "no-init-instrumentors": ["error", { modules: ["@acme/tracer"] }] },
    });
    expect(instrumentorFindings(findings)).toHaveLength(7);
    expect(instrumentorFindings(findings).some((f) => f.message.includes("other-sdk"))).toBe(false);
  });

  it("does not flag the two-step pattern", () => {
    expect(lintPage(root, "docs/two-step.md").findings).toEqual([]);
  });
});

describe("config", () => {
  const root = project({
    ...acmeTracer,
    "docs/page.md": fence(`function init(o: { instrumentors?: string[] }) { return o; }\ninit({ instrumentors: [] });`),
  });

  it("uses the rule's default severity, `warn` and `off`", () => {
    expect(lintPage(root, "docs/page.md").findings.map((f) => f.severity)).toEqual(["error"]);
    const warn = lintPage(root, "docs/page.md", { rules: { "no-init-instrumentors": "warn" } });
    expect(warn.findings.map((f) => [f.stage, f.ruleId, f.severity])).toEqual([["lint", "no-init-instrumentors", "warning"]]);
    expect(lintPage(root, "docs/page.md", { rules: { "no-init-instrumentors": "off" } }).findings).toEqual([]);
  });

  it("rejects an unknown rule id with the closest known one", () => {
    const run = () => lintPage(root, "docs/page.md", { rules: { "no-init-instrumentor": "error" } });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/rules\.no-init-instrumentor: unknown rule .*did you mean "no-init-instrumentors"/);
  });

  it("rejects bad options naming the rule and the option", () => {
    const bad = (options: Record<string, unknown>) => () =>
      lintPage(root, "docs/page.md", { rules: { "no-init-instrumentors": ["error", options] } });
    expect(bad({ callees: "init" })).toThrow(/rules\.no-init-instrumentors: invalid options\.callees: expected an array/);
    expect(bad({ calees: ["init"] })).toThrow(/options\.calees: unknown option/);
    expect(bad({ bans: [] })).toThrow(ConfigError);
    const banned = () => lintPage(root, "docs/page.md", { bannedApis: [{ module: "x" } as never] });
    expect(banned).toThrow(/rules\.no-banned-api: invalid options\.bans\[0\]\.message: is required/);
  });

  it("rejects a bad level", () => {
    expect(() => lintPage(root, "docs/page.md", { rules: { "no-deprecated": "warning" as never } })).toThrow(
      /level must be "error", "warn" or "off"/,
    );
  });
});

describe("inline disable", () => {
  const code = `function init(o: { instrumentors?: string[] }) { return o; }\ninit({ instrumentors: [] });`;
  const root = project({
    "docs/page.md": [
      '<!-- validate-docs: disable no-init-instrumentors reason="shows the pattern this page warns about" -->\n',
      fence(code),
      fence(code),
      '<!-- validate-docs: disable no-init-instrumentorz reason="typo" -->\n',
      fence(code),
    ].join("\n"),
  });

  it("turns the rule off for the next block only, and reports a disable that names no rule", () => {
    const { blocks, findings } = lintPage(root, "docs/page.md");
    expect(blocks[0].attrs.disable).toEqual([{ rules: ["no-init-instrumentors"], reason: "shows the pattern this page warns about" }]);
    const rows = findings.map((f) => [f.blockId, f.ruleId]);
    expect(rows).toEqual([
      [blocks[1].id, "no-init-instrumentors"],
      [blocks[2].id, "lint/unknown-rule"],
      [blocks[2].id, "no-init-instrumentors"],
    ]);
    expect(findings[1].message).toContain('did you mean "no-init-instrumentors"');
  });
});

describe("fixes", () => {
  const page = [
    "# Assertions\n",
    "Some prose that must not change.\n",
    "1. A step:\n\n   ```ts\n   import assert from 'node:assert';\n   assert.ok(true);\n   ```\n",
    fence(`import { init } from "@acme/tracer";\ninit({ apiKey: "k" });`),
  ].join("\n");
  const root = project({ ...acmeTracer, "docs/page.md": page });

  it("applies fixes to the Markdown, touching only the changed spans", () => {
    const { findings, page: p } = lintPage(root, "docs/page.md", {
      bannedApis: [
        { module: "node:assert", message: "use strict mode", replaceWith: "node:assert/strict" },
        { module: "@acme/tracer", export: "init", message: "use start()", replaceWith: "start" },
      ],
    });
    expect(findings.map((f) => f.ruleId)).toEqual(["no-banned-api", "no-banned-api", "no-banned-api"]);
    const { text, applied, skipped } = applyFixes(p.source, findings);
    expect(applied).toHaveLength(3);
    expect(skipped).toEqual([]);
    expect(text).toBe(
      p.source
        .replace("'node:assert'", "'node:assert/strict'")
        .replace("import { init }", "import { start }")
        .replace('init({ apiKey: "k" })', 'start({ apiKey: "k" })'),
    );
  });
});

describe("expect-finding", () => {
  const code = `function init(o: { instrumentors?: string[] }) { return o; }\ninit({ instrumentors: [] });`;
  const root = project({ "docs/page.md": fence(code, "expect-finding=no-init-instrumentors") });

  it("runs a rule the block expects even when the config turns it off", () => {
    const { findings } = lintPage(root, "docs/page.md", { rules: { "no-init-instrumentors": "off" } });
    expect(findings.map((f) => f.ruleId)).toEqual(["no-init-instrumentors"]);
  });
});
