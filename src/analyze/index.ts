// The static stages over one shared program: type-check and lint. Pure function of blocks + options, so it can run
// on a worker thread (src/analyze/threaded.ts) and leave the main thread free to answer signals.
import type { BannedApi, RuleSetting } from "../config-types.js";
import { lint } from "../lint/index.js";
import { createBlockProgram } from "../typecheck/program.js";
import { programFindings, typecheckBlocks, type CheckDepth } from "../typecheck/index.js";
import type { ProgramOptions } from "../typecheck/program-types.js";
import type { CodeBlock, Finding } from "../types.js";

export interface AnalyzeOptions {
  program: ProgramOptions;
  rules: Readonly<Record<string, RuleSetting>>;
  bannedApis: readonly BannedApi[];
}

/** What to check (blocks by id, so the request can cross a thread boundary). */
export interface AnalyzeRequest {
  /** Blocks the program is built over (the anchor alone when empty). */
  blocks: CodeBlock[];
  typecheck: string[];
  lint: string[];
  /** The block whole-program diagnostics are shown at, when they are wanted. */
  anchor?: CodeBlock;
  /** Blocks not checked now (cached) whose declarations the checked blocks carry (page context). */
  lenders?: CodeBlock[];
  /** How deep each block is type-checked (`level=parse`/`resolve` caps); absent → fully. */
  depths?: Record<string, CheckDepth>;
}

export interface AnalyzeOutcome {
  typeFindings: Finding[];
  globalFindings: Finding[];
  lintFindings: Finding[];
  /** Milliseconds: program, typecheck, lint. */
  timings: Record<string, number>;
}

/** Builds the program once, type-checks and lints the requested blocks; `plugins` are loaded rule modules. */
export function analyze(request: AnalyzeRequest, options: AnalyzeOptions, plugins: Readonly<Record<string, unknown>>): AnalyzeOutcome {
  const timings: Record<string, number> = {};
  const time = <T>(name: string, fn: () => T): T => {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      timings[name] = Math.round(performance.now() - t0);
    }
  };
  const out: AnalyzeOutcome = { typeFindings: [], globalFindings: [], lintFindings: [], timings };
  const inProgram = request.blocks.length ? request.blocks : request.anchor ? [request.anchor] : [];
  if (!inProgram.length) return out;
  const bp = time("program", () => createBlockProgram(inProgram, options.program, [...(request.lenders ?? []), ...inProgram]));
  // Blocks by identity: the program knows the objects it was built from.
  const byId = new Map(inProgram.map((b) => [b.id, b]));
  const pick = (ids: string[]) => ids.map((id) => byId.get(id)).filter((b): b is CodeBlock => b !== undefined);
  if (request.typecheck.length) out.typeFindings = time("typecheck", () => typecheckBlocks(bp, pick(request.typecheck), (b) => request.depths?.[b.id] ?? "typecheck").findings);
  if (request.anchor) out.globalFindings = programFindings(bp, byId.get(request.anchor.id) ?? request.anchor);
  if (request.lint.length) {
    out.lintFindings = time("lint", () => lint(bp, pick(request.lint), { rules: options.rules, plugins, bannedApis: options.bannedApis }).findings);
  }
  return out;
}
