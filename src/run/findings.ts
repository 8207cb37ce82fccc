// Turns what one page's process reported into findings. Pure: no processes, no timers.
import { createTwoFilesPatch } from "diff";
import { fencePlace } from "../extract/position.js";
import type { CodeBlock, Finding, Page, Severity, Substitute } from "../types.js";
import { PLACEHOLDER_HOST, rejectedSubstitute } from "./placeholders.js";
import { normalizeInspected } from "./assertions.js";
import type { PageRun } from "./pool.js";
import type { ErrorInfo, WarningInfo } from "./protocol.js";
import { BLOCK_SOURCE_PREFIX } from "./protocol.js";
import { packageOf } from "../util/package-of.js";
import { type BlockIndex, formatFrames, lineSpan, placeOf } from "./stack.js";
import type { TranspiledBlock } from "./transpile.js";
import { normalizeOutput, outputEdit } from "./update.js";

export { normalizeOutput };

export interface WarningPolicy {
  warnings: "error" | "warn" | "off";
  allowWarnings: string[];
}

export interface PageContext {
  page: Page;
  /** Runnable blocks in run order; `transpiled[i]` belongs to `blocks[i]`. */
  blocks: CodeBlock[];
  transpiled: TranspiledBlock[];
  index: BlockIndex;
  root: string;
  memoryLimit: number;
  policy: WarningPolicy;
  /** Ids of the blocks this process reports on (the rest only set up page context for an alternative). */
  owned: ReadonlySet<string>;
  /** Block id → placeholders its run replaced with neutral values. */
  substitutes?: ReadonlyMap<string, readonly Substitute[]>;
  /** Names of the variables set in the example's environment (a library's missing credential is one not here). */
  envNames?: ReadonlySet<string>;
  /**
   * The blocks after one that ends the page early run on in a fresh process (src/run/index.ts, continuations);
   * false under --bail, where they do not.
   */
  resumes?: boolean;
}

export interface PageVerdict {
  findings: Finding[];
  ran: string[];
  outputs: [string, string][];
  /** The block (index in the context's blocks) at which the page ended before its last block ran to its end. */
  endedAt?: number;
}

export function isAllowedWarning(text: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const re = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
    if (re) {
      try {
        return new RegExp(re[1]!, re[2]).test(text);
      } catch {
        /* not a valid regex: fall back to a substring */
      }
    }
    return text.includes(pattern);
  });
}

function unifiedDiff(expected: string, actual: string): string {
  const patch = createTwoFilesPatch("expected", "actual", expected + "\n", actual + "\n", undefined, undefined, { context: 3 });
  // Drop the "Index:"/"====" preamble; keep ---/+++ and the hunks.
  return patch.split("\n").filter((l) => !l.startsWith("Index:") && !l.startsWith("====")).join("\n").trimEnd();
}

function quote(text: string, max = 300): string {
  const one = text.trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/** Run findings that mean a block failed: its captured output is not what the page documents. */
export const BLOCK_FAILURES = new Set(["run/threw", "run/unhandled-rejection", "run/timeout", "run/exit", "run/crash", "run/expected-throw"]);

/**
 * A block that failed (threw, timed out, exited, crashed) printed less than, or something else than, it documents:
 * `--update` must never write that over the expected output. Its output mismatch keeps no fix and says why.
 */
function keepFailedOutputs(findings: Finding[]): void {
  const failed = new Map<string, string>();
  for (const f of findings) if (f.blockId && BLOCK_FAILURES.has(f.ruleId) && !failed.has(f.blockId)) failed.set(f.blockId, f.ruleId);
  for (const f of findings) {
    const cause = f.blockId ? failed.get(f.blockId) : undefined;
    if (f.ruleId !== "run/output-mismatch" || !f.fix || !cause) continue;
    delete f.fix;
    f.message += ` \`--update\` leaves this fence alone because the block failed (${cause}).`;
  }
}

/**
 * `expect-throw="X"` holds when X is the thrown value's class (constructor name) or its `name`, or is contained in
 * its text (`String(error)`). A class like ZodError whose text is JSON is matched by its name.
 */
export function matchesExpectedThrow(error: ErrorInfo, expect: string): boolean {
  return expect === error.className || (error.name !== "" && expect === error.name) || error.text.includes(expect);
}

/** The error as one line that names its class: `ZodError: [ { "code": … } ]`, even when its text omits the class. */
export function describeError(error: ErrorInfo): string {
  // A thrown non-Error ({ self: [Circular] }, a symbol) reads better inspected than as "[object Object]".
  const raw = error.name === "" && error.stack === "" ? error.message : error.text;
  let text = raw.replace(/\s*\n\s*/g, " ").trim();
  const cls = error.className && error.className !== "Object" ? error.className : error.name;
  if (!cls || text.startsWith(cls)) return quote(text);
  // `class MyError extends Error {}` keeps name "Error": show the class instead of the inherited name.
  if (error.name && text.startsWith(error.name)) text = text.slice(error.name.length).replace(/^:\s*/, "");
  return quote(text ? `${cls}: ${text}` : cls);
}

/** The block line importing what a link error names (`does not provide an export named 'x'`, `Cannot find package 'p'`). */
function failingImport(block: CodeBlock, text: string): { line: number; column: number } | undefined {
  const named = /does not provide an export named '([^']+)'/.exec(text)?.[1];
  const module = /(?:requested module|Cannot find (?:module|package)) '([^']+)'/.exec(text)?.[1];
  const lines = block.code.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!/\b(import|require|from)\b/.test(line)) continue;
    const at = named !== undefined ? line.search(new RegExp(`\\b${named.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`)) : -1;
    if (at !== -1) return { line: i + 1, column: at + 1 };
    if (module !== undefined && (line.includes(`'${module}'`) || line.includes(`"${module}"`))) return { line: i + 1, column: Math.max(1, line.search(/\S/) + 1) };
  }
  return undefined;
}

/**
 * A dotenv file (`.env`, `.env.local`, `../config/.env`) that a library's message names: a file of the reader's
 * project, with the reader's own values, that no example's fresh working directory has. Only this name: any other
 * missing file is the example's to provide.
 */
const ENV_FILE = /(?:^|[\s,'"(/])(\.env(?:\.[\w-]+)?)(?=$|[\s,'")])/;

export function readerEnvFile(text: string): string | undefined {
  return ENV_FILE.exec(text)?.[1];
}

/** An environment variable whose name says it holds a credential (`OPENAI_API_KEY`, `GITHUB_TOKEN`, `DB_PASSWORD`). */
const CREDENTIAL_VARIABLE = /\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:API_?KEY|KEY|TOKEN|SECRET|PASSWORD|CREDENTIALS?))\b/g;

/** The innermost frame of a thrown error is a dependency's (not the page's blocks, not Node's own). */
function thrownByLibrary(error: ErrorInfo): boolean {
  const origin = error.frames[0];
  return origin !== undefined && !origin.file.startsWith(BLOCK_SOURCE_PREFIX) && packageOf(origin.file) !== undefined;
}

/**
 * A library that reads its credential from the environment and says which variable is missing (openai: "Missing
 * credentials … set the `OPENAI_API_KEY` environment variable"): the reader sets their own. Only an error a
 * dependency throws, naming a credential variable that the example's environment does not have.
 */
export function missingCredential(error: ErrorInfo, envNames: ReadonlySet<string>): string | undefined {
  if (!thrownByLibrary(error)) return undefined;
  for (const m of error.message.matchAll(CREDENTIAL_VARIABLE)) if (!envNames.has(m[1]!)) return m[1];
  return undefined;
}

/**
 * A relative URL (`/user?ID=12345`) a library could not resolve: it is relative to a browser page's origin (or a
 * base URL the reader configures), and a request there needs the network anyway. Only an error thrown outside the
 * page's blocks (the HTTP client, Node's fetch) whose rejected input starts with `/`.
 */
export function relativeRequestUrl(error: ErrorInfo): string | undefined {
  if (error.frames[0]?.file.startsWith(BLOCK_SOURCE_PREFIX)) return undefined;
  const input = error.input ?? /^Failed to parse URL from (\S+)/.exec(error.message)?.[1];
  return input !== undefined && /^\/(?!\/)/.test(input) ? input : undefined;
}

const DENIED: Record<string, { what: string; allow: string }> = {
  FileSystemRead: { what: "read", allow: '`sandbox: { read: ["<path>"] }`' },
  FileSystemWrite: { what: "write", allow: '`sandbox: { write: ["<path>"] }` (or write to the page\'s temp dir, its working directory)' },
  ChildProcess: { what: "start a child process", allow: '`sandbox="child-process"` on the block (or `sandbox: { childProcess: true }` in the config)' },
  WorkerThreads: { what: "start a worker thread", allow: '`sandbox="workers"` on the block (or `sandbox: { workers: true }` in the config)' },
  Addon: { what: "load a native addon", allow: '`sandbox="addons"` on the block (or `sandbox: { addons: true }` in the config)' },
};

function permissionMessage(error: ErrorInfo): string {
  const known = DENIED[error.permission ?? ""];
  const what = known ? `${known.what}${error.resource ? ` ${error.resource}` : ""}` : `use ${error.permission ?? "a restricted API"}${error.resource ? ` on ${error.resource}` : ""}`;
  return (
    `The permission sandbox denied this: the example tried to ${what}. Examples may read the project and node_modules and ` +
    `write only to the page's temp dir (their working directory); starting processes, worker threads and native addons ` +
    `needs a config opt-in. If the example needs it, allow it with ${known?.allow ?? "the `sandbox` option"}, or turn the sandbox off with \`sandbox: false\` (see docs/security.md).`
  );
}

export function interpretPage(ctx: PageContext, run: PageRun): PageVerdict {
  const { page, blocks } = ctx;
  const findings: Finding[] = [];
  const ran: string[] = [];
  const outputs: [string, string][] = [];
  const throwSeen = new Map<number, ErrorInfo>();
  let lastStarted = -1;
  let exitMessage: { block: number; code: number; frames: ErrorInfo["frames"] } | undefined;
  let stalled: number | undefined;
  let network: Extract<PageRun["messages"][number], { t: "network" }> | undefined;
  let rejected: { block: number; error: ErrorInfo; sub: Substitute } | undefined;
  const substitutes = [...(ctx.substitutes?.values() ?? [])].flat();
  let running: number | undefined;
  const denials: Extract<PageRun["messages"][number], { t: "denied" }>[] = [];
  const deniedThrown = new Set<string>();
  const denialKey = (b: number, permission?: string, resource?: string): string => `${b}\0${permission ?? ""}\0${resource ?? ""}`;

  const add = (block: CodeBlock, ruleId: string, message: string, place = fencePlace(block), hint?: string, severity: Severity = "error"): void => {
    findings.push({ stage: "run", ruleId, severity, message, page: block.page, blockId: block.id, place, ...(hint ? { hint } : {}) });
  };
  const stackHint = (error: ErrorInfo): string => {
    const frames = formatFrames(error.frames, ctx.index, ctx.root);
    // Never the raw stack: it names the run's temp files (deleted by now) and validate-docs' own sources.
    return frames ? `${error.text}\n${frames}` : error.text;
  };
  const reportThrow = (b: number, error: ErrorInfo, ruleId: "run/threw" | "run/unhandled-rejection"): void => {
    if (error.code === "ERR_ACCESS_DENIED") deniedThrown.add(denialKey(b, error.permission, error.resource));
    const block = blocks[b]!;
    const expect = block.attrs.expectThrow;
    if (expect !== undefined && running === b && !throwSeen.has(b)) {
      throwSeen.set(b, error);
      return; // judged when the block ends
    }
    const where = placeOf(error.frames, ctx.index, block);
    if (error.code === "ERR_ACCESS_DENIED") {
      add(where.block, "run/permission", permissionMessage(error), where.place, stackHint(error));
      return;
    }
    // A module that fails to link (a missing export or module) has no frame in the block: point at its import.
    const importLine = where.inCode ? undefined : failingImport(blocks[b]!, error.text);
    if (importLine) Object.assign(where, { block: blocks[b]!, place: lineSpan(blocks[b]!, importLine.line, importLine.column), inCode: true });
    // The reader's `.env` is missing (`throw result.error` after dotenv's config()): the reader's project has it.
    const envFile = error.code === "ENOENT" ? readerEnvFile(/'([^']+)'/.exec(error.text)?.[1] ?? "") : undefined;
    if (envFile) {
      add(where.block, ruleId, `${ruleId === "run/threw" ? "Uncaught" : "Unhandled promise rejection:"} ${describeError(error)}. The example reads \`${envFile}\`, a file of the reader's project (with the reader's own values) that the example's fresh working directory does not have, so this is not reported as an error. To run it, create the file in hidden setup.`, where.place, stackHint(error), "info");
      return;
    }
    const credential = missingCredential(error, ctx.envNames ?? new Set());
    if (credential) {
      add(where.block, "run/placeholder", `The library needs a credential the reader has: it threw ${describeError(error)}, and \`${credential}\` is not set in the example's environment. Not a doc bug, so this block was checked up to type-check. To run it, give the variable a value with \`env\` or \`passEnv\` (and allow the service's host with \`network\`), or mark the block \`no-run\`.`, where.place, stackHint(error), "info");
      return;
    }
    const relative = relativeRequestUrl(error);
    if (relative) {
      add(where.block, "run/network", `Needs network: the example requests the relative URL \`${relative}\`, which only a browser page's origin (or a base URL the reader configures) resolves; Node has neither, so it threw ${describeError(error)}. It was checked up to type-check. Give the client a base URL in hidden setup and allow its host with \`network\`, or mark the block \`no-run\`.`, where.place, stackHint(error), "warning");
      return;
    }
    const what = ruleId === "run/threw" ? `Uncaught ${describeError(error)}` : `Unhandled promise rejection: ${describeError(error)}`;
    const why = ruleId === "run/threw"
      ? "A reader who runs this example gets this exception."
      : "A promise was rejected and nothing handled it; in a real program node would exit with an error.";
    const fix = where.inCode ? "" : " (the failing line is outside the block; the stack shows where)";
    const from = where.from ? ` It was thrown at ${where.from}, in code this block uses from an earlier block of the page.` : "";
    add(where.block, ruleId, `${what}.${from} ${why} Fix the example, or mark the block \`expect-throw\` if throwing is the point${fix}.`, where.place, stackHint(error));
  };
  const reportWarning = (b: number, warning: WarningInfo): void => {
    if (ctx.policy.warnings === "off" || isAllowedWarning(warning.text, ctx.policy.allowWarnings)) return;
    const block = blocks[b]!;
    const where = placeOf(warning.frames, ctx.index, block);
    const origin = warning.frames[0];
    const pkg = origin ? packageOf(origin.file) : undefined;
    const by = pkg ? `dependency \`${pkg}\`` : "code outside the page's blocks";
    // A library saying what it loaded from the reader's `.env` (dotenv: "injected env (0) from .env"): the fresh
    // working directory has none; the reader's project does. Reported, not an error.
    const envFile = pkg ? readerEnvFile(warning.text) : undefined;
    const severity: Severity = envFile ? "info" : ctx.policy.warnings === "warn" ? "warning" : "error";
    const envNote = envFile
      ? ` It names \`${envFile}\`, a file of the reader's project that the example's fresh working directory does not have, so it is not reported as an error.`
      : "";
    add(
      where.block,
      "run/dependency-warning",
      `The ${by} printed a warning (${warning.source}) while this example ran: "${quote(warning.text)}". ` +
        "Warnings printed by libraries are how silent failures show (an SDK that exports nothing still returns normally). " +
        (envNote || "Fix the example's setup, or accept this warning with `allowWarnings` (a substring or /regex/)."),
      where.place,
      warning.frames.length ? `Printed from:\n${formatFrames(warning.frames, ctx.index, ctx.root)}` : undefined,
      severity,
    );
  };

  for (const m of run.messages) {
    // The page was stopped at a network attempt: what the block did after it (a "fetch failed" throw) is its echo.
    if (network || rejected) break;
    // The library rejected a placeholder's neutral value: not a doc bug; the page was stopped there.
    const thrown = m.t === "end" ? m.threw : m.t === "uncaught" || m.t === "rejection" ? m.error : undefined;
    if (thrown && "block" in m && blocks[m.block]!.attrs.expectThrow === undefined) {
      const sub = rejectedSubstitute(thrown, substitutes);
      if (sub) {
        rejected = { block: m.block, error: thrown, sub };
        break;
      }
    }
    switch (m.t) {
      case "start":
        lastStarted = m.block;
        running = m.block;
        ran.push(blocks[m.block]!.id);
        break;
      case "end": {
        const block = blocks[m.block]!;
        if (m.unavailable) {
          // Not run: what it uses from earlier blocks is not there (their own findings say why).
          ran.splice(ran.lastIndexOf(block.id), 1);
          running = undefined;
          const names = m.unavailable.map((n) => `\`${n}\``).join(", ");
          add(block, "run/context-not-run", `Not run: this block uses ${names} from an earlier block of the page, which stopped before declaring ${m.unavailable.length === 1 ? "it" : "them"} (see that block's finding). Running it without ${m.unavailable.length === 1 ? "that value" : "those values"} would only repeat that failure.`, fencePlace(block), undefined, "info");
          break;
        }
        if (m.threw) reportThrow(m.block, m.threw, "run/threw");
        running = undefined;
        judgeExpectThrow(m.block);
        outputs.push([block.id, m.stdout.text]);
        checkOutput(block, m.stdout.text, m.stdout.truncated, m.stdout.bytes);
        checkValues(m.block, m.values);
        break;
      }
      case "uncaught":
        reportThrow(m.block, m.error, "run/threw");
        break;
      case "rejection":
        reportThrow(m.block, m.error, "run/unhandled-rejection");
        break;
      case "warning":
        reportWarning(m.block, m.warning);
        break;
      case "exit":
        exitMessage = { block: m.block, code: m.code, frames: m.frames };
        break;
      case "stalled":
        stalled = m.block;
        break;
      case "network":
        network = m;
        break;
      case "denied":
        denials.push(m);
        break;
      default:
        break;
    }
  }

  let endedAt: number | undefined;
  const notRun = (after: number): string => {
    endedAt = after;
    const rest = blocks.slice(after + 1).map((b) => `line ${b.fence.start.line}`);
    if (!rest.length) return "";
    return ctx.resumes
      ? ` The page's remaining blocks (${rest.join(", ")}) ran on in a fresh process, with what the blocks before this one declare.`
      : ` The page's remaining blocks did not run (${rest.join(", ")}).`;
  };
  const ending = run.ending;
  if (rejected) {
    const block = blocks[rejected.block]!;
    const where = placeOf(rejected.error.frames, ctx.index, block);
    const { sub } = rejected;
    add(
      where.block,
      "run/placeholder",
      `The placeholder \`${sub.placeholder}\` (line ${sub.line} of its block) ran as \`${sub.value}\`, and the library rejected that value: ${describeError(rejected.error)}. ` +
        `A placeholder is not a doc bug, so this block was checked up to type-check and stopped here.${notRun(rejected.block)} ` +
        "To run it, give the example a real value (the `env` option, or hidden setup), or mark the block `no-run`.",
      where.place,
      stackHint(rejected.error),
      "info",
    );
  } else if (network) {
    const block = blocks[network.block]!;
    const where = placeOf(network.frames, ctx.index, block);
    const target = `${network.host}${network.port !== undefined ? `:${network.port}` : ""}`;
    const sub = network.host === PLACEHOLDER_HOST ? substitutes.find((s) => s.value.includes(PLACEHOLDER_HOST)) : undefined;
    const advice = sub
      ? `That address is the neutral value validate-docs ran in place of the placeholder \`${sub.placeholder}\` (line ${sub.line} of its block); to run the call, give the example a real address (the \`env\` option or hidden setup) and allow its host with \`network\`, or mark the block \`no-run\`.`
      : `If the call is the point, allow the host with \`network: ["${network.host}"]\` in the config; otherwise mark the block \`no-run\`.`;
    add(
      where.block,
      "run/network",
      `Needs network: the example tried to reach ${target} (${network.via}); examples run without network, so it was stopped here and checked up to type-check.${notRun(network.block)} ${advice}`,
      where.place,
      undefined,
      "warning",
    );
  } else if (ending.kind === "timeout") {
    const block = blocks[ending.block]!;
    add(block, "run/timeout", `The example did not finish within ${ending.ms} ms and was stopped (its whole process tree was killed).${notRun(ending.block)} Make it finish (close servers, clear intervals, await what you start), or raise the limit with \`timeout=…\` on the block or \`--timeout\`.`);
  } else if (stalled !== undefined) {
    const block = blocks[stalled]!;
    add(block, "run/timeout", `The example awaits a promise that can never settle: nothing is left on the event loop to resolve it (node would exit with code 13, "unsettled top-level await").${notRun(stalled)} Resolve or remove the awaited promise.`);
  } else if (exitMessage) {
    const block = blocks[exitMessage.block]!;
    const where = placeOf(exitMessage.frames, ctx.index, block);
    add(where.block, "run/exit", `The example called process.exit(${exitMessage.code}) before the page finished, so the program ended there.${notRun(exitMessage.block)} Examples must run to the end; remove the exit or move it to the last block behind a comment.`, where.place);
  } else if (ending.kind === "exited") {
    const b = Math.max(lastStarted, 0);
    const block = blocks[b]!;
    const oom = /heap out of memory|Reached heap limit/i.test(run.stderrTail);
    const cause = oom
      ? `ran out of memory (limit ${ctx.memoryLimit} MB)`
      : ending.signal
        ? `was killed by ${ending.signal}`
        : `exited with code ${ending.code}`;
    const ruleId = oom || ending.signal ? "run/crash" : "run/exit";
    const tail = run.stderrTail.trim();
    add(block, ruleId, `The process running this page ${cause} before the page finished.${notRun(b)} ${oom ? "Reduce what the example allocates or raise `memoryLimit`." : "Check the example for native crashes or exits."}`, fencePlace(block), tail ? quote(tail, 2000) : undefined);
  }
  reportCaughtDenials();
  keepFailedOutputs(findings);
  return { findings, ran, outputs, ...(endedAt !== undefined && endedAt < blocks.length - 1 ? { endedAt } : {}) };

  /** A denial the example caught (none of its blocks let the ERR_ACCESS_DENIED out): a warning, once per operation. */
  function reportCaughtDenials(): void {
    const seen = new Set<string>();
    for (const d of denials) {
      const key = denialKey(d.block, d.permission, d.resource);
      if (deniedThrown.has(key) || seen.has(key)) continue;
      seen.add(key);
      const where = placeOf(d.frames, ctx.index, blocks[d.block]!);
      const known = DENIED[d.permission];
      const what = `${known?.what ?? `use ${d.permission}`}${d.resource ? ` ${d.resource}` : ""}`;
      add(
        where.block,
        "run/permission",
        `The permission sandbox denied this and the example caught the error and went on: it tried to ${what} (${d.via}). ` +
          `What it did next was checked without that ${d.permission === "FileSystemWrite" ? "write" : "operation"}, which a reader's machine would have done. ` +
          `If the example needs it, allow it with ${known?.allow ?? "the `sandbox` option"}; if the failure is the point, mark the block \`no-run\` or turn the sandbox off for it (see docs/security.md).`,
        where.place,
        undefined,
        "warning",
      );
    }
  }

  function judgeExpectThrow(b: number): void {
    const block = blocks[b]!;
    const expect = block.attrs.expectThrow;
    if (expect === undefined) return;
    const error = throwSeen.get(b);
    if (!error) {
      const line = block.attrs.expectThrowLine;
      if (line !== undefined) {
        add(block, "run/expected-throw", `Line ${line} of the block documents that it throws ${expect} (in a comment), but the block ran without throwing. Fix the example or the comment.`, lineSpan(block, line, 1));
      } else {
        add(block, "run/expected-throw", `The block is marked \`expect-throw${expect === true ? "" : `="${expect}"`}\` but ran without throwing. Make it throw as documented, or remove the attribute.`);
      }
    } else if (expect !== true && !matchesExpectedThrow(error, expect)) {
      add(block, "run/expected-throw", `The block threw ${describeError(error)}, not the documented "${expect}". Update \`expect-throw\` or the example.`, placeOf(error.frames, ctx.index, block).place, stackHint(error));
    }
  }

  function checkOutput(block: CodeBlock, stdout: string, truncated: boolean, bytes: number): void {
    const expected = block.expectedOutput;
    if (!expected) return;
    const want = normalizeOutput(expected.text);
    const got = normalizeOutput(stdout);
    if (want === got && !truncated) return;
    const note = truncated ? ` (stdout was ${bytes} bytes; only the first part was kept)` : "";
    const diff = unifiedDiff(want, got);
    findings.push({
      stage: "run",
      ruleId: "run/output-mismatch",
      severity: "error",
      message: `The block's output differs from the \`output\` fence after it${note}:\n${diff}\nUpdate the fence (\`--update\` rewrites it) or fix the example.`,
      page: block.page,
      blockId: block.id,
      place: expected.span,
      // The edit --update applies; none when the capture was cut short (it would write a partial output).
      ...(truncated ? {} : { fix: outputEdit(page.source, block, stdout) }),
    });
  }

  function checkValues(b: number, values: { line: number; text: string }[]): void {
    const block = blocks[b]!;
    for (const assertion of ctx.transpiled[b]!.assertions) {
      const got = values.find((v) => v.line === assertion.line);
      if (!got) continue; // the statement never ran: the throw that stopped it is already reported
      if (normalizeInspected(got.text) === normalizeInspected(assertion.expected)) continue;
      add(block, "run/output-mismatch", `\`// => ${assertion.expected}\` does not hold: the value is \`${quote(got.text)}\`. Fix the comment (it should read \`// => ${quote(normalizeInspected(got.text))}\`) or the code.`, lineSpan(block, assertion.line, assertion.column));
    }
  }
}
