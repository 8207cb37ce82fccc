import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { TemplateError } from "../../src/templates/engine.js";
import { TemplateErrors, createHandlebarsEngine } from "../../src/templates/handlebars.js";
import { makeOriginMap, originOf } from "../../src/templates/origin.js";
import type { Span } from "../../src/types.js";

function spanOf(output: string, needle: string, nth = 0): Span {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = output.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`"${needle}" not in output`);
  const pt = (o: number) => {
    const before = output.slice(0, o).split("\n");
    return { line: before.length, column: before[before.length - 1]!.length + 1, offset: o };
  };
  return { start: pt(at), end: pt(at + needle.length) };
}

function render(src: string, data: Record<string, unknown>, partials: Record<string, string> = {}) {
  const engine = createHandlebarsEngine();
  for (const [name, source] of Object.entries(partials)) engine.registerPartial(name, source, `partials/${name}.hbs`);
  const t = engine.compile(src, "t.md.hbs");
  const r = t.renderMapped!(data);
  const map = makeOriginMap(r.segments, [
    { file: "t.md.hbs", source: src },
    ...Object.entries(partials).map(([n, s]) => ({ file: `partials/${n}.hbs`, source: s })),
  ]);
  return { ...r, map, at: (needle: string, nth = 0) => originOf(map, spanOf(r.output, needle, nth)) };
}

const where = (o: ReturnType<typeof originOf>) => o && `${o.file}:${o.place.start.line}:${o.place.start.column}${o.fromData ? " data" : ""}`;

describe("handlebars engine: output equals plain Handlebars", () => {
  const cases: [string, string, Record<string, unknown>, Record<string, string>][] = [
    ["plain text", "# Hi\ntext\n", {}, {}],
    ["mustaches", "a {{x}} b {{{y}}} {{z.w}}\n", { x: "<1>", y: "<2>", z: { w: 3 } }, {}],
    ["each + if standalone", "list:\n{{#each items}}\n  - {{name}}{{#if @last}}.{{/if}}\n{{/each}}\n{{#unless none}}\nnone\n{{else}}\nsome\n{{/unless}}\nend\n", { items: [{ name: "a" }, { name: "b" }], none: true }, {}],
    ["indented partial", "```ts\n  {{> setup}}\nafter\n```\n", { p: "X" }, { setup: "const a = 1;\nconst b = '{{p}}';\n" }],
    ["nested indented partials", "  {{> outer}}\nz\n", {}, { outer: "o1\n  {{> inner}}\no2\n", inner: "i1\ni2\n" }],
    ["partial without trailing newline", "x\n    {{> p}}\ny\n", {}, { p: "one\ntwo" }],
    ["empty partial", "x\n  {{> p}}\ny\n", {}, { p: "" }],
    ["whitespace control", "a {{~x~}} b\n{{#each l~}}\n  {{.}}\n{{~/each}}\n", { x: 1, l: [1, 2] }, {}],
  ];
  for (const [name, src, data, partials] of cases) {
    it(name, () => {
      const plain = Handlebars.create();
      for (const [n, s] of Object.entries(partials)) plain.registerPartial(n, s);
      const expected = plain.compile(src)(data);
      const r = render(src, data, partials);
      expect(r.output).toBe(expected);
      expect(r.approximate).toBeUndefined();
      // Every character is attributed.
      const covered = r.segments.reduce((n, s) => n + (s.end - s.start), 0);
      expect(covered).toBe(expected.length);
    });
  }
});

describe("handlebars engine: origins", () => {
  it("maps a content line to the exact template line:column", () => {
    const src = "# Title\n\n```ts\nimport { init } from 'sdk';\ninit({ apiKey: '{{key}}' });\n```\n";
    const r = render(src, { key: "k1" });
    expect(where(r.at("init({"))).toBe("t.md.hbs:5:1");
    expect(where(r.at("apiKey"))).toBe("t.md.hbs:5:8");
    expect(where(r.at("k1"))).toBe("t.md.hbs:5:17 data");
  });

  it("maps lines inside #each to the block body, once per iteration", () => {
    const src = "{{#each items}}\n- item {{this}}\n{{/each}}\ndone\n";
    const r = render(src, { items: ["a", "b"] });
    expect(r.output).toBe("- item a\n- item b\ndone\n");
    expect(where(r.at("item", 0))).toBe("t.md.hbs:2:3");
    expect(where(r.at("item", 1))).toBe("t.md.hbs:2:3");
    expect(where(r.at("b"))).toBe("t.md.hbs:2:8 data");
    expect(where(r.at("done"))).toBe("t.md.hbs:4:1");
  });

  it("maps a line produced by a partial to the partial file, and its indent to the template", () => {
    const partials = { setup: "const client = new Client();\nclient.start({{n}});\n" };
    const src = "```ts\n  {{> setup}}\n```\n";
    const r = render(src, { n: 3 }, partials);
    expect(r.output).toBe("```ts\n  const client = new Client();\n  client.start(3);\n```\n");
    expect(where(r.at("client.start"))).toBe("partials/setup.hbs:2:1");
    expect(where(r.at("3"))).toBe("partials/setup.hbs:2:14 data");
    expect(where(r.at("  client.start"))).toBe("t.md.hbs:2:1");
    expect(where(r.at("```", 1))).toBe("t.md.hbs:3:1");
  });

  it("records mustaches that resolve to undefined (not empty strings)", () => {
    const r = render("a {{missing}} b {{empty}} {{deep.er}} {{#each l}}{{nope}}{{/each}}\n", { empty: "", l: [1] });
    expect(r.missing.map((m) => m.name)).toEqual(["missing", "deep.er", "nope"]);
    expect(r.missing[0]!.output).toBe(2);
  });
});

describe("handlebars engine: errors", () => {
  it("an unclosed block points at its opening tag", () => {
    const engine = createHandlebarsEngine();
    const err = (() => { try { engine.compile("# T\n\n{{#each items}}\n- x\n", "t.hbs"); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(TemplateError);
    expect(err).toMatchObject({ ruleId: "template/syntax-error", line: 3, column: 1 });
  });
  it("a mismatched close is a syntax error at a template line", () => {
    const engine = createHandlebarsEngine();
    const err = (() => { try { engine.compile("a\n{{#each x}}\n{{/if}}\n", "t.hbs"); } catch (e) { return e; } })();
    expect(err).toMatchObject({ ruleId: "template/syntax-error", line: 2 });
  });
  it("an unterminated mustache is a syntax error on its line", () => {
    const engine = createHandlebarsEngine();
    const err = (() => { try { engine.compile("a\nb {{foo bar\n", "t.hbs"); } catch (e) { return e; } })();
    expect(err).toMatchObject({ ruleId: "template/syntax-error", line: 2 });
  });
  it("missing partials are reported at each reference, including inside partials", () => {
    const engine = createHandlebarsEngine();
    engine.registerPartial("a", "x\n{{> deeper}}\n", "p/a.hbs");
    const err = (() => { try { engine.compile("{{> a}}\n{{#if x}}\n  {{> nope}}\n{{/if}}\n", "t.hbs"); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(TemplateErrors);
    const errors = (err as TemplateErrors).errors.map((e) => `${e.ruleId} ${e.file}:${e.line}:${e.column}`);
    expect(errors).toEqual(["template/missing-partial p/a.hbs:2:1", "template/missing-partial t.hbs:3:3"]);
  });
});
