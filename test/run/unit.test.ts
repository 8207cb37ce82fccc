// Pure pieces of the run stage: value assertions, output normalisation, warning allowlist, env policy, what an
// alternative lane takes from its page's rounds, which pages are light (their runners start without V8 flags).
import { describe, expect, it } from "vitest";
import { instrumentValueAssertions, normalizeInspected } from "../../src/run/assertions.js";
import { childEnv } from "../../src/run/env.js";
import { maskText, secretValues } from "../../src/secrets.js";
import { isAllowedWarning, normalizeOutput } from "../../src/run/findings.js";
import { inheritedStops } from "../../src/run/index.js";
import { isLightPage } from "../../src/run/pool.js";
import type { CodeBlock } from "../../src/types.js";

describe("instrumentValueAssertions", () => {
  it.each([
    ["x // => 1", [{ line: 1, column: 1, expected: "1" }]],
    ["const a = 1;\n  a + 1 // => 2\n", [{ line: 2, column: 3, expected: "2" }]],
    ["f(); //=> [ 1 ]", [{ line: 1, column: 1, expected: "[ 1 ]" }]],
    ["const a = 1 // => 1", []],
    ["function f() { g() // => 1\n}", []],
    ["x // not an assertion", []],
    ["const f = () => 1;", []],
  ])("%j", (code, expected) => {
    const result = instrumentValueAssertions(code, "0-0", ".ts");
    expect(result.assertions).toEqual(expected);
    expect(result.code.split("\n").length).toBe(code.split("\n").length);
    if (expected.length === 0) expect(result.code).toBe(code);
  });
});

describe("normalisation", () => {
  it.each([
    ["a\r\nb  \r\n\r\n", "a\nb"],
    ["a\rb", "a\nb"],
    ["", ""],
    ["  lead\n", "  lead"],
  ])("normalizeOutput(%j)", (text, expected) => {
    expect(normalizeOutput(text)).toBe(expected);
  });
  it("collapses whitespace in inspected values", () => {
    expect(normalizeInspected("{\n  a: 1,\n  b: 2\n}")).toBe("{ a: 1, b: 2 }");
  });
});

describe("isAllowedWarning", () => {
  it.each([
    ["skipping integration", ["skipping"], true],
    ["skipping integration", ["/^skip\\w+ INTEG/i"], true],
    ["skipping integration", ["/^integration/"], false],
    ["a /b/ c", ["/b/"], true],
    ["text", ["/[/"], false],
    ["has /[/ inside", ["/[/"], true],
  ])("%j with %j", (text, patterns, expected) => {
    expect(isAllowedWarning(text, patterns)).toBe(expected);
  });
});

describe("env policy", () => {
  it("passes only PATH, HOME, TMPDIR, passEnv names and placeholders", () => {
    const env = childEnv({ PATH: "/bin", HOME: "/h", NODE_OPTIONS: "--inspect", SECRET_X: "s", KEEP: "k" }, ["KEEP", "ABSENT"], { OPENAI_API_KEY: "sk-test" });
    expect(Object.keys(env).sort()).toEqual(["HOME", "KEEP", "OPENAI_API_KEY", "PATH", "TMPDIR"]);
  });
  it("masks values of secret-looking variables, longest first", () => {
    const secrets = secretValues({ API_KEY: "abcd1234", GITHUB_TOKEN: "abcd1234efgh", USER: "abcd1234zz", DB_PASSWORD: "pw" });
    expect(secrets).toEqual(["abcd1234efgh", "abcd1234"]);
    expect(maskText("token abcd1234efgh and key abcd1234", secrets)).toBe("token *** and key ***");
  });
});

describe("inheritedStops", () => {
  // Only ids matter to the planning; a lane of blocks a…, owning its alternative(s).
  const lane = (ids: string[], owned: string[], leftOut: string[] = []) => ({
    blocks: ids.map((id) => ({ id }) as CodeBlock),
    owned: new Set(owned),
    ...(leftOut.length ? { leftOut: new Set(leftOut) } : {}),
  });
  const all = (): boolean => true;
  // The page's sequence a b c d e: a ended round 1, then c (after b), then d (after b).
  const stops = [
    { id: "a", before: [] },
    { id: "c", before: ["b"] },
    { id: "d", before: ["b"] },
  ];

  it("takes every stop whose blocks before it are the lane's", () => {
    expect(inheritedStops(stops, lane(["a", "b", "c", "d", "alt"], ["alt"]), all)).toEqual(new Set(["a", "c", "d"]));
  });
  it("stops at the first stop the lane reaches after other blocks (another alternative before it)", () => {
    expect(inheritedStops(stops, lane(["a", "b", "alt1", "c", "d", "alt2"], ["alt1", "alt2"]), all)).toEqual(new Set(["a"]));
  });
  it("takes nothing past the lane's end, and never a block the lane reports", () => {
    expect(inheritedStops(stops, lane(["a", "b", "alt"], ["alt"]), all)).toEqual(new Set(["a"]));
    expect(inheritedStops(stops, lane(["a", "b", "c"], ["a", "b", "c"]), all)).toEqual(new Set());
  });
  it("counts only blocks that run (not prepared, or left out already)", () => {
    // x could not be prepared: it ran in neither round.
    expect(inheritedStops(stops, lane(["a", "x", "b", "c", "alt"], ["alt"]), (id) => id !== "x")).toEqual(new Set(["a", "c"]));
    // A lane that already leaves out a (it ended an earlier round of the lane) still matches after it.
    expect(inheritedStops(stops.slice(1), lane(["a", "b", "c", "alt"], ["alt"], ["a"]), all)).toEqual(new Set(["c"]));
    // A lane that runs a block the sequence's round did not (b missing there) does not match.
    expect(inheritedStops([{ id: "c", before: [] }], lane(["b", "c", "alt"], ["alt"]), all)).toEqual(new Set());
  });
});

describe("isLightPage", () => {
  it.each([
    ["const a = 1;\nconsole.log(a);", true],
    ['import fs from "node:fs";\nimport path from "path";\nimport { readFile } from "fs/promises";', true],
    ['import { helper } from "./helper.js";\nconst m = await import("../lib/x.js");', true],
    ['import { z } from "zod";', false],
    ["import { Tracer } from '@acme/tracer';", false],
    ['import "dotenv/config";', false],
    ['const { Client } = require("pg");', false],
    ['const m = await import("openai");', false],
  ])("%j", (code, light) => {
    expect(isLightPage([code], false)).toBe(light);
  });
  it("a page with a DOM is never light", () => {
    expect(isLightPage(["document.title = 'x';"], true)).toBe(false);
  });
});
