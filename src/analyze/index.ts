// The static stages over one shared program: type-check and lint. Pure function of blocks + options, so it can run
// on a worker thread (src/analyze/threaded.ts) and leave the main thread free to answer signals.
import type { BannedApi, RuleSetting } from "../config-types.js";
import { lint } from "../lint/index.js";
import { createBlockProgram } from "../typecheck/program.js";
import { programFindings, typecheckBlocks, type CheckDepth } from "../typecheck/index.js";
import type { ProgramOptions } from "../typecheck/program-types.js";
import type { CheckJsMode, CodeBlock, Finding } from "../types.js";

export interface AnalyzeOptions {
  /** The project root (rule modules load from it). */
  root: string;
  rules: Readonly<Record<string, RuleSetting>>;
  bannedApis: readonly BannedApi[];
}

/** What to check in one program (blocks by id, so the request can cross a thread boundary). */
export interface AnalyzeRequest {
  /** The program's options (its tsconfig): one request per distinct set of compiler options. */
  program: ProgramOptions;
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
  /** The configured JavaScript mode of each JS block (config `checkJs` per glob); absent → the program's `checkJs`. */
  jsModes?: Record<string, CheckJsMode>;
}

export interface AnalyzeOutcome {
  typeFindings: Finding[];
  globalFindings: Finding[];
  lintFindings: Finding[];
  /** Milliseconds: program, typecheck, lint. */
  timings: Record<string, number>;
}

/**
 * Builds each request's program once (one per distinct set of compiler options), type-checks and lints the
 * requested blocks; `plugins` are loaded rule modules.
 */
export function analyze(requests: readonly AnalyzeRequest[], options: AnalyzeOptions, plugins: Readonly<Record<string, unknown>>): AnalyzeOutcome {
  const out: AnalyzeOutcome = { typeFindings: [], globalFindings: [], lintFindings: [], timings: {} };
  for (const request of requests) analyzeOne(request, options, plugins, out);
  return out;
}

function analyzeOne(request: AnalyzeRequest, options: AnalyzeOptions, plugins: Readonly<Record<string, unknown>>, out: AnalyzeOutcome): void {
  const timings = out.timings;
  const time = <T>(name: string, fn: () => T): T => {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      timings[name] = (timings[name] ?? 0) + Math.round(performance.now() - t0);
    }
  };
  const inProgram = request.blocks.length ? request.blocks : request.anchor ? [request.anchor] : [];
  if (!inProgram.length) return;
  const bp = time("program", () => createBlockProgram(inProgram, request.program, [...(request.lenders ?? []), ...inProgram]));
  // Blocks by identity: the program knows the objects it was built from.
  const byId = new Map(inProgram.map((b) => [b.id, b]));
  const pick = (ids: string[]) => ids.map((id) => byId.get(id)).filter((b): b is CodeBlock => b !== undefined);
  if (request.typecheck.length) {
    const jsModeOf = request.jsModes ? (b: CodeBlock) => request.jsModes![b.id] ?? "typed" : undefined;
    out.typeFindings.push(...time("typecheck", () => typecheckBlocks(bp, pick(request.typecheck), (b) => request.depths?.[b.id] ?? "typecheck", jsModeOf).findings));
  }
  if (request.anchor) out.globalFindings.push(...programFindings(bp, byId.get(request.anchor.id) ?? request.anchor));
  if (request.lint.length) {
    out.lintFindings.push(...time("lint", () => lint(bp, pick(request.lint), { rules: options.rules, plugins, bannedApis: options.bannedApis }).findings));
  }
}
