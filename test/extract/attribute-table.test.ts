// The attribute table (src/extract/attribute-table.ts) is the one source: parsing, merging, the did-you-mean lists,
// the BlockAttrs fields and the tables in docs/attributes.md must all follow it. Each check fails when one drifts.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ATTRIBUTES, BLOCK_FIELDS, attributesMarkdown } from "../../src/extract/attribute-table.js";
import { extract } from "../../src/extract/index.js";
import type { BlockAttrs, Page } from "../../src/types.js";
import { REPO } from "../helpers.js";

/** A value each attribute takes, and what BlockAttrs then holds (page directives: what the page gets). */
const SAMPLES: Record<string, { written: string; block?: unknown }> = {
  skip: { written: 'skip="needs a key"', block: "needs a key" },
  "no-run": { written: "no-run", block: true },
  "expect-error": { written: "expect-error=2322", block: [2322] },
  "expect-finding": { written: "expect-finding=run/threw", block: ["run/threw"] },
  "expect-throw": { written: 'expect-throw="TypeError"', block: "TypeError" },
  timeout: { written: "timeout=5s", block: 5000 },
  sandbox: { written: 'sandbox="child-process workers"', block: ["child-process", "workers"] },
  title: { written: 'title="a.ts"', block: "a.ts" },
  filename: { written: "filename=b.ts", block: "b.ts" },
  disable: { written: 'disable=ts2322 reason="shown as a mistake"', block: [{ rules: ["ts2322"], reason: "shown as a mistake" }] },
  context: { written: "context=none", block: "none" },
  setup: { written: "setup", block: true },
  level: { written: "level=typecheck", block: "typecheck" },
  env: { written: "env=browser", block: "browser" },
  isolate: { written: "isolate=process", block: "process" },
  "check-js": { written: "check-js=full", block: "full" },
  "disable-file": { written: 'disable-file reason="generated page"' },
  "context-file": { written: "context-file=none" },
  "env-file": { written: "env-file=browser" },
};

function page(source: string): Page {
  return { path: "docs/a.md", abs: "/root/docs/a.md", source };
}

/** BlockAttrs property names, read from src/types.ts with the compiler. */
function blockAttrsFields(): string[] {
  const file = path.join(REPO, "src/types.ts");
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const names: string[] = [];
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === "BlockAttrs") {
      for (const m of node.members) if (m.name && ts.isIdentifier(m.name)) names.push(m.name.text);
    }
  });
  return names;
}

const NAMES = ATTRIBUTES.flatMap((a) => a.names.map((name) => ({ name, spec: a })));

describe("the attribute table", () => {
  it("docs/attributes.md carries the tables generated from it", () => {
    const doc = fs.readFileSync(path.join(REPO, "docs/attributes.md"), "utf8");
    for (const [marker, scope] of [["attributes-table", "block"], ["directives-table", "page"]] as const) {
      const section = new RegExp(`<!-- ${marker}:start[^>]*-->\\n([\\s\\S]*?)\\n<!-- ${marker}:end -->`).exec(doc)?.[1];
      expect(section, `docs/attributes.md lost its ${marker} markers`).toBeDefined();
      expect(section, "regenerate it: npm run gen:docs").toBe(attributesMarkdown(scope));
    }
    for (const { name } of NAMES) expect(doc, name).toContain(`\`${name}`);
  });

  it("BlockAttrs has a field for every block attribute, and no other field but extra and what extract derives", () => {
    expect(blockAttrsFields().sort()).toEqual([...BLOCK_FIELDS, "extra", "expectThrowLine"].sort());
  });

  it("every name parses, in a fence meta and in a comment, into its field", () => {
    expect(Object.keys(SAMPLES).sort(), "a sample for every name in the table").toEqual(NAMES.map((n) => n.name).sort());
    for (const { name, spec } of NAMES) {
      const { written, block } = SAMPLES[name]!;
      const fromComment = extract(page(`<!-- validate-docs: ${written} -->\n\n\`\`\`ts\nconst x = 1;\n\`\`\`\n`));
      if (spec.scope === "page") {
        // A page directive works in a comment and is an error in a fence meta.
        expect(fromComment.findings.filter((f) => f.severity === "error"), name).toEqual([]);
        const inMeta = extract(page(`\`\`\`ts ${written}\nconst x = 1;\n\`\`\`\n`));
        expect(inMeta.findings.map((f) => f.ruleId), name).toContain("extract/bad-attribute");
        continue;
      }
      const inMeta = extract(page(`\`\`\`ts ${written}\nconst x = 1;\n\`\`\`\n`));
      for (const result of [inMeta, fromComment]) {
        const attrs = result.blocks[0]!.attrs as unknown as Record<string, unknown>;
        expect(attrs[spec.field], `${name} → ${spec.field}`).toEqual(block);
        expect(result.findings.filter((f) => f.ruleId.startsWith("extract/")), name).toEqual([]);
      }
    }
  });

  it("the fence meta wins over a comment for every last-wins attribute; disable accumulates", () => {
    const second: Record<string, [string, unknown]> = {
      skip: ['skip="other"', "other"],
      "expect-error": ["expect-error=2345", [2345]],
      "expect-finding": ["expect-finding=ts2322", ["ts2322"]],
      "expect-throw": ["expect-throw=RangeError", "RangeError"],
      timeout: ["timeout=7", 7],
      sandbox: ["sandbox=addons", ["addons"]],
      title: ['title="c.ts"', "c.ts"],
      context: ["context=page", "page"],
      level: ["level=parse", "parse"],
      env: ["env=node", "node"],
      "check-js": ["check-js=off", "off"],
    };
    for (const spec of ATTRIBUTES.filter((a) => a.scope === "block" && a.merge === "last")) {
      const name = spec.names[0];
      if (!second[name]) {
        // Flags without a second value (no-run, setup, isolate=process) have nothing to override.
        expect(["no-run", "setup", "isolate"], `a second value for ${name}`).toContain(name);
        continue;
      }
      const [meta, expected] = second[name]!;
      const result = extract(page(`<!-- validate-docs: ${SAMPLES[name]!.written} -->\n\n\`\`\`ts ${meta}\nconst x = 1;\n\`\`\`\n`));
      expect((result.blocks[0]!.attrs as unknown as Record<string, unknown>)[spec.field], name).toEqual(expected);
    }
    const both = extract(page('<!-- validate-docs: disable=ts2322 reason="a" -->\n\n```ts disable=ts2345 reason="b"\nconst x = 1;\n```\n'));
    expect((both.blocks[0]!.attrs as BlockAttrs).disable).toEqual([{ rules: ["ts2322"], reason: "a" }, { rules: ["ts2345"], reason: "b" }]);
  });

  it("a misspelled name gets a did-you-mean from the table's names", () => {
    for (const { name, spec } of NAMES) {
      if (name.length < 4) continue;
      const typo = name.slice(0, -1);
      const text = spec.scope === "block" ? `\`\`\`ts ${typo}\nconst x = 1;\n\`\`\`\n` : `<!-- validate-docs: ${typo} -->\n\n\`\`\`ts\nconst x = 1;\n\`\`\`\n`;
      const messages = extract(page(text)).findings.map((f) => f.message).join("\n");
      expect(messages, typo).toContain(`did you mean \`${name}\``);
    }
  });
});
