// Graded check levels: parse → resolve → typecheck → run. Each block records the deepest level it reached and why
// it stopped below `run`; reporters count blocks per level and per reason (docs/real-world.md).
// Levels describe how deeply a block was checked, never whether it passed: a type error in a block that stopped at
// `typecheck` (a placeholder key, say) is still an error.
import picomatch from "picomatch";
import { fencePlace } from "../extract/position.js";
import type { CheckLevel, CodeBlock, Finding, Level, StopReason, Substitute, Summary } from "../types.js";
import { LEVELS } from "../types.js";
import { RESOLVE_CODES } from "../typecheck/index.js";
import type { Classification, Stop } from "./classify.js";
import { publicSubstitutes } from "../run/placeholders.js";

export type { Classification, Stop } from "./classify.js";


export interface LevelCap {
  level: CheckLevel;
  from: "attribute" | "config";
}

/** The cap of a block: its `level=` attribute, else the last config glob that matches its page (as for `context`). */
export function levelCapper(defaults: readonly { glob: string; level: CheckLevel }[]): (block: CodeBlock) => LevelCap | undefined {
  const matchers = defaults.map((d) => ({ level: d.level, match: picomatch(d.glob, { dot: true }) }));
  return (block) => {
    if (block.attrs.level) return { level: block.attrs.level, from: "attribute" };
    const hit = matchers.findLast((m) => m.match(block.page));
    return hit ? { level: hit.level, from: "config" } : undefined;
  };
}

export const atLeast = (level: Level, than: Level): boolean => LEVELS.indexOf(level) >= LEVELS.indexOf(than);

export interface GradeInput {
  block: CodeBlock;
  cls?: Classification;
  cap?: LevelCap;
  /** Semantic diagnostics were computed for the block. */
  typechecked: boolean;
  /** The run stage started the block. */
  ran: boolean;
  runStage: boolean;
  typecheckStage: boolean;
  /** Runnable, but an earlier block on its page ended the run. */
  notRun: boolean;
  /** Type names a type-only snippet uses that the page does not declare (their findings were set aside). */
  undeclaredTypes?: readonly string[];
  /** Names the block uses that nothing declares (src/grade/undeclared.ts). */
  undeclaredNames?: readonly string[];
  /** The block's findings (after expectations). */
  findings: readonly Finding[];
}

export interface Grade {
  level: Level;
  stop?: Stop;
  /** Placeholders the run replaced with neutral values. */
  substitutes?: Substitute[];
}

export function gradeBlock(g: GradeInput): Grade {
  const grade = gradeOf(g);
  // What the run replaced is part of what was checked, whatever level the block reached.
  const subs = g.ran ? g.cls?.substitutes : undefined;
  return subs?.length ? { ...grade, substitutes: publicSubstitutes(subs) } : grade;
}

function gradeOf(g: GradeInput): Grade {
  const { block, cls, cap } = g;
  if (block.attrs.skip !== undefined) return { level: "none", stop: { reason: "skipped", detail: block.attrs.skip || "(no reason given)" } };
  // Code for another runtime parses; data, shell sessions and pseudo-code are not programs at all.
  // A bare placeholder (`<YOUR_API_KEY>` outside a string) parses once it is read as a string.
  if (cls?.notProgram) return { level: cls.notProgram.reason === "other-runtime" || cls.notProgram.reason === "placeholder" ? "parse" : "none", stop: cls.notProgram };
  if (cls?.noRun?.reason === "type-only" && g.undeclaredTypes?.length) {
    const names = g.undeclaredTypes.map((n) => `\`${n}\``).join(", ");
    return { level: "parse", stop: { reason: "type-only", detail: `a type that refers to names this page does not declare (${names}): checked as syntax only` } };
  }
  if (cls && !cls.parses && !cls.asType) return { level: "none", stop: { reason: "syntax-error", detail: "the block does not parse" } };

  const unresolved = g.findings.find((f) => {
    const code = /^ts(\d+)$/.exec(f.ruleId)?.[1];
    return (code !== undefined && RESOLVE_CODES.has(Number(code))) || (f.ruleId === "run/threw" && /Cannot find (module|package)|ERR_MODULE_NOT_FOUND/.test(f.message));
  });
  if (unresolved) return { level: "parse", stop: { reason: "unresolved-import", detail: firstLine(unresolved.message) } };
  // Imports resolve, but the checker could not check what an undeclared name stands for (and running it throws).
  // (Type-only snippets and values shown alone are checked inside a wrapper and graded by their own rule above.)
  if (g.typechecked && g.undeclaredNames?.length && !cls?.asType) {
    const shown = g.undeclaredNames.slice(0, 5).map((n) => `\`${n}\``).join(", ");
    const more = g.undeclaredNames.length > 5 ? ` and ${g.undeclaredNames.length - 5} more` : "";
    return {
      level: "resolve",
      stop: { reason: "undeclared-name", detail: `uses names that neither the block, its page context nor an import declares (${shown}${more}): what they stand for was not type-checked` },
    };
  }

  const network = g.findings.find((f) => f.ruleId === "run/network");
  const rejected = g.findings.find((f) => f.ruleId === "run/placeholder");
  // Statically: what the checker did.
  const checkedLevel: Level = g.typechecked ? "typecheck" : cap?.level === "resolve" && g.typecheckStage ? "resolve" : "parse";
  if (g.ran && !network && !rejected) return { level: "run" };

  const stop = ((): Stop => {
    if (network) return { reason: "needs-network", detail: firstLine(network.message) };
    if (rejected) return { reason: "placeholder", detail: firstLine(rejected.message) };
    if (cls?.noRun) return cls.noRun;
    if (cap && cap.level !== "run") {
      return { reason: "level-cap", detail: `level=${cap.level}${cap.from === "config" ? " (config default for this page)" : ""}` };
    }
    if (block.attrs.noRun) return { reason: "no-run", detail: "no-run" };
    const context = g.findings.find((f) => f.ruleId === "run/context-not-run");
    if (g.notRun && context) return { reason: "not-run", detail: firstLine(context.message) };
    if (g.notRun) return { reason: "not-run", detail: "an earlier block on this page ended the run (see the run/ finding)" };
    if (!g.runStage) return { reason: "stage-off", detail: "the run stage is turned off" };
    return { reason: "not-run", detail: "the block could not be prepared to run (see the run/ finding)" };
  })();
  return { level: checkedLevel, stop };
}

function firstLine(message: string): string {
  const line = message.split("\n")[0]!;
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** Stops that an author or the config asked for; under --strict every other stop below `run` is an error. */
export function isExplicitStop(block: CodeBlock, grade: Grade): boolean {
  if (grade.level === "run" || !grade.stop) return true;
  const reason = grade.stop.reason;
  if (reason === "skipped") return block.attrs.skip !== "" && block.attrs.skip !== undefined;
  if (reason === "level-cap" || reason === "no-run") return true;
  // A block with a level= attribute accepts whatever its level is.
  return block.attrs.level !== undefined;
}

export function strictFinding(block: CodeBlock, grade: Grade): Finding {
  return {
    stage: "grade",
    ruleId: "grade/below-run",
    severity: "error",
    message:
      `Under --strict every block must run, but this one stopped at level \`${grade.level}\`: ${grade.stop!.reason} (${grade.stop!.detail}). ` +
      "Make it runnable, or say so on the block: `level=typecheck` (or `level=parse`), `no-run`, or `skip=\"why\"`.",
    page: block.page,
    blockId: block.id,
    place: fencePlace(block),
  };
}

export function emptyLevels(): Record<Level, number> {
  return Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
}

/** Adds one block to the summary's per-level and per-reason counts. */
export function countGrade(summary: Pick<Summary, "levels" | "reasons">, level: Level, reason?: StopReason): void {
  summary.levels[level]++;
  if (reason) summary.reasons[reason] = (summary.reasons[reason] ?? 0) + 1;
}
