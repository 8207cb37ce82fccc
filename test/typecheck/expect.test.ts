// applyExpectations is generic over stages: findings here are hand-made (as any stage would report them),
// the blocks carry real attributes. The TypeScript side is covered end to end in typecheck.test.ts.
import { describe, expect, test } from "vitest";
import { applyExpectations, areEquivalentCodes, stageOfRule } from "../../src/expect.js";
import type { CodeBlock, Finding } from "../../src/types.js";
import { handBlock } from "./helpers.js";

function finding(block: CodeBlock, ruleId: string, stage: Finding["stage"] = "typecheck"): Finding {
  return { stage, ruleId, severity: "error", message: `problem ${ruleId}`, page: block.page, blockId: block.id, place: block.fence };
}

const summary = (fs: Finding[]) => fs.map((f) => `${f.severity} ${f.ruleId} ${f.blockId ?? ""}`);

describe("applyExpectations", () => {
  test("expect-error consumes exact codes in its own block only", () => {
    const a = handBlock({ index: 0, fenceLine: 1, code: "x", attrs: { expectError: [2353] } });
    const b = handBlock({ index: 1, fenceLine: 10, code: "y" });
    const input = [finding(a, "ts2353"), finding(a, "ts2353"), finding(b, "ts2353")];
    const out = applyExpectations([a, b], input);
    expect(summary(out)).toEqual([`info ts2353 ${a.id}`, `info ts2353 ${a.id}`, `error ts2353 ${b.id}`]);
    expect(out[0]!.message).toBe("expected: problem ts2353");
    expect(out[2]!.hint).toBe("if this error is intended, mark the fence `ts expect-error=2353`");
    expect(input[0]!.severity).toBe("error"); // input untouched
  });

  test("each expected code must occur; a missing one is reported at the fence", () => {
    const a = handBlock({ fenceLine: 3, code: "x", attrs: { expectError: [2353, 2322] } });
    const out = applyExpectations([a], [finding(a, "ts2322")]);
    expect(summary(out)).toEqual([`info ts2322 ${a.id}`, `error expect/missing-error ${a.id}`]);
    expect(out[1]!.place).toEqual(expect.objectContaining({ start: expect.objectContaining({ line: 3 }) }));
    expect(out[1]!.message).toContain("change the fence to `ts expect-error=2322`");
  });

  test("equivalent codes match, but not when the other code is itself expected", () => {
    const a = handBlock({ index: 0, code: "x", attrs: { expectError: [2741] } });
    const b = handBlock({ index: 1, fenceLine: 10, code: "y", attrs: { expectError: [2741, 2322] } });
    const out = applyExpectations([a, b], [finding(a, "ts2322"), finding(b, "ts2322")]);
    expect(summary(out)).toEqual([`info ts2322 ${a.id}`, `info ts2322 ${b.id}`, `error expect/missing-error ${b.id}`]);
  });

  test("equivalence groups are not transitive", () => {
    expect(areEquivalentCodes(2322, 2740)).toBe(true);
    expect(areEquivalentCodes(2345, 2740)).toBe(true);
    expect(areEquivalentCodes(2345, 2322)).toBe(false);
    expect(areEquivalentCodes(2353, 2561)).toBe(true);
  });

  test("expect-finding works for any stage", () => {
    const a = handBlock({ code: "x", attrs: { expectFinding: ["no-init-instrumentors", "run/threw"] } });
    const out = applyExpectations([a], [finding(a, "no-init-instrumentors", "lint"), finding(a, "run/threw", "run")]);
    expect(summary(out)).toEqual([`info no-init-instrumentors ${a.id}`, `info run/threw ${a.id}`]);
  });

  test("a missing expected finding, with the stage of its rule", () => {
    const a = handBlock({ code: "x", attrs: { expectFinding: ["no-init-instrumentors"] } });
    const out = applyExpectations([a], []);
    expect(summary(out)).toEqual([`error expect/missing-finding ${a.id}`]);
    expect(out[0]!.stage).toBe("lint");
    expect(out[0]!.message).toContain("`no-init-instrumentors`");
  });

  test("no missing-expectation findings for stages that did not run, or skipped blocks", () => {
    const a = handBlock({ index: 0, code: "x", attrs: { expectError: [2353], expectFinding: ["no-foo", "run/threw"] } });
    const b = handBlock({ index: 1, fenceLine: 10, code: "y", attrs: { skip: "needs a key", expectError: [2353] } });
    expect(summary(applyExpectations([a, b], [], { stages: ["run"] }))).toEqual([`error expect/missing-finding ${a.id}`]);
    expect(applyExpectations([a, b], [], { stages: [] })).toEqual([]);
  });

  test("warnings and non-TS findings get no expect-error hint", () => {
    const a = handBlock({ code: "x" });
    const warning = { ...finding(a, "ts6385"), severity: "warning" as const };
    const out = applyExpectations([a], [warning, finding(a, "no-foo", "lint")]);
    expect(out.map((f) => f.hint)).toEqual([undefined, undefined]);
  });

  test("stageOfRule", () => {
    expect(stageOfRule("ts2353")).toBe("typecheck");
    expect(stageOfRule("run/timeout")).toBe("run");
    expect(stageOfRule("no-banned-api")).toBe("lint");
  });
});
