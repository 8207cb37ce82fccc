import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { builtinRules } from "../../rules/index.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SECTIONS = ["## What it does", "## Why", "## Examples", "## Options", "## When not to use it"];

/** The first paragraph after the `# id` title. */
function firstParagraph(markdown: string): string {
  const afterTitle = markdown.replace(/^# .*\n+/, "");
  return afterTitle.split(/\n\s*\n/)[0].replace(/\s*\n\s*/g, " ").trim();
}

describe("rule registry", () => {
  it("holds at least the four built-in rules, each under its own id", () => {
    expect(Object.keys(builtinRules).sort()).toEqual(
      expect.arrayContaining(["no-banned-api", "no-deprecated", "no-floating-promise", "no-init-instrumentors"]),
    );
    for (const [id, rule] of Object.entries(builtinRules)) expect(rule.id).toBe(id);
  });

  for (const [id, rule] of Object.entries(builtinRules)) {
    describe(id, () => {
      it("has a source file, a test and a doc named by its id", () => {
        expect(fs.existsSync(path.join(repo, "rules", `${id}.ts`))).toBe(true);
        expect(fs.existsSync(path.join(repo, "test/rules", `${id}.test.ts`))).toBe(true);
        expect(fs.existsSync(path.join(repo, "docs/rules", `${id}.md`))).toBe(true);
      });

      it("documents itself: title, description = meta.description, every section, ❌ and ✅ examples", () => {
        const doc = fs.readFileSync(path.join(repo, "docs/rules", `${id}.md`), "utf8");
        expect(doc.startsWith(`# ${id}\n`)).toBe(true);
        expect(firstParagraph(doc)).toBe(rule.meta.description);
        let last = -1;
        for (const section of SECTIONS) {
          const at = doc.indexOf(`\n${section}\n`);
          expect(at, section).toBeGreaterThan(last);
          last = at;
        }
        expect(doc).toContain("```ts expect-finding=" + id);
        expect(doc).toMatch(/✅[^\n]*\n\n```ts\n/);
      });

      it("has messages for every placeholder it documents and a valid schema shape", () => {
        expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
        expect(["error", "warning"]).toContain(rule.meta.severity);
      });
    });
  }
});
