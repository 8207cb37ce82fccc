// The static stages over one shared program: type-check and lint. Pure function of blocks + options, so it can run
// on a worker thread (src/analyze/threaded.ts) and leave the main thread free to answer signals.
import type { BannedApi, RuleSetting } from "../config-types.js";
import { lint } from "../lint/index.js";
import { createBlockProgram, type BeforeProgram } from "../typecheck/program.js";
import { startNative, type NativeAnswer, type NativeRun, type NativeSetting } from "../typecheck/native.js";
import { fencePlace } from "../extract/position.js";
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
  /**
   * About the run, not the blocks (never cached): the native compiler asked for and not used
   * (`typecheck/native-unavailable`).
   */
  notes: Finding[];
  /** Milliseconds: program, typecheck, lint (and native: the wait for the native compiler after the program was built). */
  timings: Record<string, number>;
}

/**
 * Builds each request's program once (one per distinct set of compiler options), type-checks and lints the
 * requested blocks; `plugins` are loaded rule modules.
 */
export function analyze(requests: readonly AnalyzeRequest[], options: AnalyzeOptions, plugins: Readonly<Record<string, unknown>>): AnalyzeOutcome {
  const out: AnalyzeOutcome = { typeFindings: [], globalFindings: [], lintFindings: [], notes: [], timings: {} };
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
  // The native compiler (option `typescript`) starts on the program's files as soon as they are laid out, and runs
  // in its own thread while this one builds the TypeScript 6 program.
  const native = request.typecheck.length ? request.program.native : undefined;
  let nativeRun: NativeRun | undefined;
  const compiler = native?.compiler;
  const beforeProgram: BeforeProgram | undefined = compiler
    ? (compilerOptions, files, dirs) => (nativeRun = startNative(compiler, compilerOptions, files, dirs, request.program.root))
    : undefined;
  // Declaration files' JSDoc is parsed on demand, for the tool's own rules (no-deprecated); a project's rule modules
  // may read any JSDoc, so their programs parse it whole (src/typecheck/lazy-jsdoc.ts).
  const program = { ...request.program, lazyJsDoc: request.lint.length === 0 || Object.keys(plugins).length === 0 };
  const bp = time("program", () => createBlockProgram(inProgram, program, [...(request.lenders ?? []), ...inProgram], beforeProgram));
  // Blocks by identity: the program knows the objects it was built from.
  const byId = new Map(inProgram.map((b) => [b.id, b]));
  const pick = (ids: string[]) => ids.map((id) => byId.get(id)).filter((b): b is CodeBlock => b !== undefined);
  if (request.typecheck.length) {
    const jsModeOf = request.jsModes ? (b: CodeBlock) => request.jsModes![b.id] ?? "typed" : undefined;
    const blocks = pick(request.typecheck);
    let passed: ((b: CodeBlock) => boolean) | undefined;
    if (native) {
      const answer: NativeAnswer = nativeRun ? time("native", () => nativeRun!.answer()) : { ok: false, reason: native.missing ?? "the native compiler did not start" };
      if (answer.ok) {
        // Passed: no diagnostic at all, or only in code carried from earlier blocks (TypeScript 6's findings leave
        // those out too: they are reported on the block they were written in).
        passed = (b) => {
          const file = bp.sourceFileOf(b);
          return file !== undefined && (answer.flagged.get(file.fileName) ?? []).every((start) => bp.toBlockOffset(b, start) < 0);
        };
      } else if (native.mode === "native" || compiler) {
        const anchor = blocks[0];
        if (anchor) out.notes.push(nativeNote(native, answer.reason, anchor));
      }
    }
    out.typeFindings.push(...time("typecheck", () => typecheckBlocks(bp, blocks, (b) => request.depths?.[b.id] ?? "typecheck", jsModeOf, passed).findings));
  }
  if (request.anchor) out.globalFindings.push(...programFindings(bp, byId.get(request.anchor.id) ?? request.anchor));
  if (request.lint.length) {
    out.lintFindings.push(...time("lint", () => lint(bp, pick(request.lint), { rules: options.rules, plugins, bannedApis: options.bannedApis }).findings));
  }
}

/** The native compiler was asked for (or found) and not used: every block was checked by TypeScript 6, visibly. */
function nativeNote(native: NativeSetting, reason: string, anchor: CodeBlock): Finding {
  return {
    stage: "typecheck",
    ruleId: "typecheck/native-unavailable",
    severity: "warning",
    message: `typescript: "${native.mode}": ${reason}; every block was type-checked with TypeScript 6 instead (the same findings, without the native speed-up)`,
    hint: native.compiler
      ? `${native.compiler.name}@${native.compiler.version} could not be used; set \`typescript: "6"\` (or \`--typescript 6\`) to stop trying it`
      : 'install it beside the project (`npm i -D typescript7@npm:typescript@7`), or set `typescript: "6"` (or `--typescript 6`)',
    page: anchor.page,
    blockId: anchor.id,
    place: fencePlace(anchor),
  };
}
