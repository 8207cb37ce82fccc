// The commands behind the CLI: check, `templates render`, `init-hook`. Loaded lazily by cli.ts (they pull in the
// compiler, remark and esbuild).
import path from "node:path";
import type { ResolvedConfig } from "./config-types.js";
import { resolveConfig } from "./config.js";
import { EXIT, toOverrides, type Flags } from "./cli-options.js";
import { UsageError } from "./errors.js";
import { activeReporters } from "./report/select.js";
import { deliverReports, reporters, type ReporterOutput } from "./report/index.js";
import { toPosix } from "./util/paths.js";
import { mergeResults } from "./merge-reports.js";
import { writeBaseline } from "./baseline.js";
import { createProgress, noProgress, progressEnabled } from "./progress.js";
import type { CheckResult } from "./types.js";
import fs from "node:fs";
import { applyRewrites } from "./rewrite.js";
import { checkWithTemplates, type TemplateCheck } from "./templates/check.js";
import { installHook, renderToDisk } from "./templates/index.js";

interface Output {
  color: boolean;
  quiet: boolean;
}

/** `validate-docs [paths…]`: pages and configured templates. */
export async function checkCommand(config: ResolvedConfig, args: string[], flags: Flags, opts: Output): Promise<number> {
  const progress = progressEnabled(process.stderr, process.env, opts.quiet) ? createProgress(process.stderr) : noProgress;
  const again = () => checkWithTemplates(config, { paths: args, base: process.cwd(), requireTemplates: Boolean(flags.templates), progress });
  let t: TemplateCheck;
  let rewrites: string[] = [];
  try {
    t = await again();
    if (config.update || config.fix) {
      const applied = applyRewrites(t.run, config);
      rewrites = applied.lines;
      // Check the pages as written now, so the reports and the exit code describe them (fixed findings are gone,
      // positions after an edit are current).
      if (applied.changed) t = await again();
    }
  } finally {
    progress.done();
  }
  // A run over some pages keeps the other pages' reports.
  return finish(t, config, opts, rewrites, args.length > 0 || config.changed !== undefined);
}

/** `templates render [--out DIR] [--force]`: the gate and the generator in one command. */
export async function templatesCommand(args: string[], flags: Flags, argv: string[], opts: Output): Promise<number> {
  const [action, ...extra] = args;
  if (action !== "render" || extra.length) {
    throw new UsageError(`unknown templates action: ${args.join(" ")}`, "the only action is `validate-docs templates render [--out DIR] [--force]`");
  }
  // Here --out is where pages go; reports keep the config's `out`.
  // Here --force means "write the pages anyway", not the baseline's --force.
  const config = await resolveConfig(toOverrides({ ...flags, out: undefined, force: undefined }, argv));
  const t = await checkWithTemplates(config, { requireTemplates: true, templatesOnly: true });
  const code = finish(t, config, opts);
  const written = renderToDisk(t.rendered, flags.out, config.root, { force: Boolean(flags.force), result: t.run.result, templateFindings: t.templateFindings });
  if (written.blocked) {
    process.stderr.write(`validate-docs: ${written.reason ?? "nothing was written"}\n`);
    return EXIT.findings;
  }
  const where = flags.out ? path.relative(process.cwd(), path.resolve(config.root, flags.out)) || "." : "their output paths";
  process.stdout.write(`Wrote ${written.written.length} rendered page${written.written.length === 1 ? "" : "s"} to ${where}.\n`);
  return code;
}

/** `init-hook [--command "…"]`: 0 when installed or updated, 1 when an existing foreign hook was left alone. */
export function initHook(flags: Flags): number {
  const root = path.resolve(flags.root ?? process.cwd());
  const base = flags.command ?? "npx --no-install validate-docs";
  const command = flags.config ? `${base} --config ${shellQuote(flags.config)}` : base;
  const r = installHook(root, { command });
  if (r.status === "refused") {
    process.stderr.write(`validate-docs: ${r.message}\n`);
    return EXIT.findings;
  }
  process.stdout.write(`${r.message}\n`);
  return EXIT.ok;
}

function shellQuote(s: string): string {
  return /^[\w./:@=-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

function finish(t: TemplateCheck, config: ResolvedConfig, opts: Output, rewrites: string[] = [], partial = false): number {
  const { run } = t;
  const sources = new Map([...run.pages].map(([k, p]) => [k, p.source]));
  if (run.baselineUpdate) writeBaseline(run.baselineUpdate.file, run.baselineUpdate.data);
  return emit(run.result, sources, config, opts, rewrites, partial);
}

/** `merge-reports DIR…`: the shards' results joined, then reported exactly as one run would be. */
export async function mergeReportsCommand(dirs: string[], flags: Flags, argv: string[], opts: Output): Promise<number> {
  const config = await resolveConfig(toOverrides(flags, argv));
  const parts = dirs.map((dir) => {
    const file = path.resolve(dir, "index.json");
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      throw new UsageError(`${dir}: no index.json`, "run each shard with the json reporter (on by default) and pass its report directory");
    }
    try {
      return { source: dir, result: JSON.parse(text) as CheckResult };
    } catch (err) {
      throw new UsageError(`${path.relative(process.cwd(), file)}: not valid JSON (${(err as Error).message})`, "was the shard's report written completely?");
    }
  });
  const result = mergeResults(parts);
  // Code frames need the pages: rendered again from this checkout's templates, read from it for the others.
  const sources = new Map<string, string>();
  if (result.pages.some((p) => p.origin)) {
    const { loadTemplateSets, renderVariants } = await import("./templates/index.js");
    for (const p of renderVariants((await loadTemplateSets(config)).sets).pages) sources.set(p.path, p.source);
  }
  for (const p of result.pages) {
    if (p.origin) continue;
    try {
      sources.set(p.page, fs.readFileSync(path.join(config.root, p.page), "utf8"));
    } catch {
      // A page not in this checkout: its findings are reported without a frame.
    }
  }
  return emit({ ...result, root: config.root }, sources, config, opts);
}

function emit(result: CheckResult, sources: Map<string, string>, config: ResolvedConfig, opts: Output, rewrites: string[] = [], partial = false): number {
  const outputs: ReporterOutput[] = [];
  for (const id of activeReporters(config.reporters, process.env)) {
    const target = config.reporterPaths[id];
    // Links from a report file back to the pages: relative from where that file lands to the root.
    const dir = target && target !== "-" ? (id === "json" || id === "markdown" ? target : path.dirname(target)) : config.out;
    const rootLink = toPosix(path.relative(dir, config.root));
    const options = { sources, color: opts.color && target === undefined, workspace: process.env.GITHUB_WORKSPACE, rootLink: rootLink ? `${rootLink}/` : "" };
    // Template groups come with the result (result.templates); the console, JSON and Markdown reporters print them.
    const files = reporters[id]!.render(result, options);
    outputs.push({ id, files, target });
  }
  const { stdout, written } = writeReportsOrExplain(() => deliverReports(config.out, outputs, { stepSummary: process.env.GITHUB_STEP_SUMMARY || undefined, partial }), config.out);
  for (const { id, text } of stdout) process.stdout.write(opts.quiet && id === "console" ? quietView(text) : text);
  for (const line of rewrites) process.stdout.write(line + "\n");
  // Never after a report piped to stdout (`json=-`): that stream is the report.
  if (written.length && !opts.quiet && !Object.values(config.reporterPaths).includes("-")) {
    const dir = path.relative(process.cwd(), config.out) || ".";
    const overview = written.includes("index.md") ? "index.md" : written.includes("index.json") ? "index.json" : undefined;
    process.stdout.write(`Reports: ${overview ? path.join(dir, overview) : `${dir}${path.sep}`}\n`);
  }
  const { errors, warnings } = result.summary;
  if (errors > 0) return EXIT.findings;
  if (config.maxWarnings !== undefined && warnings > config.maxWarnings) {
    process.stderr.write(`validate-docs: ${warnings} warning${warnings === 1 ? "" : "s"}, more than --max-warnings ${config.maxWarnings} allows\n`);
    return EXIT.findings;
  }
  return EXIT.ok;
}

/** A report dir that cannot be written (a file in the way, no permission, read-only disk) is a usage error, not a crash. */
function writeReportsOrExplain<T>(write: () => T, out: string): T {
  try {
    return write();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (typeof e?.code !== "string" || !/^E[A-Z]+$/.test(e.code)) throw err;
    throw new UsageError(
      `cannot write the reports to ${path.relative(process.cwd(), out) || out}: ${e.code} (${e.path ?? out})`,
      "pass a writable directory with --out (or `out` in the config); nothing was reported, so this run does not count as passing",
    );
  }
}

/** `--quiet`: only the error lines (no code frames, hints or warnings) and the summary line. */
export function quietView(text: string): string {
  const lines = text.trimEnd().split("\n");
  // eslint-disable-next-line no-control-regex
  const plain = (l: string) => l.replace(/\u001b\[[0-9;]*m/g, "");
  const errors = lines.slice(0, -1).filter((l) => /^\S+:\d+:\d+ error /.test(plain(l)));
  return [...errors, lines[lines.length - 1]].join("\n") + "\n";
}
