// The commands behind the CLI: check, `templates render`, `merge-reports` (`init-hook`: src/init-hook.ts). Loaded
// lazily by cli.ts (they pull in the compiler, remark and esbuild).
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
import type { CheckRun } from "./pipeline.js";
import type { CheckResult, PageResult } from "./types.js";
import fs from "node:fs";
import { applyRewrites } from "./rewrite.js";
import { checkWithTemplates, type TemplateCheck } from "./templates/check.js";
import { renderToDisk } from "./templates/disk.js";

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

function finish(t: TemplateCheck, config: ResolvedConfig, opts: Output, rewrites: string[] = [], partial = false): number {
  const { run } = t;
  const sources = sourcesOf(run);
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

function emit(
  result: CheckResult,
  sources: Map<string, string>,
  config: ResolvedConfig,
  opts: Output,
  rewrites: string[] = [],
  partial = false,
  /** Pages whose findings the console prints, when not all (--watch: the pages whose result changed). */
  onlyPages?: ReadonlySet<string>,
): number {
  const outputs: ReporterOutput[] = [];
  for (const id of activeReporters(config.reporters, process.env)) {
    const target = config.reporterPaths[id];
    // Links from a report file back to the pages: relative from where that file lands to the root.
    const dir = target && target !== "-" ? (id === "json" || id === "markdown" ? target : path.dirname(target)) : config.out;
    const rootLink = toPosix(path.relative(dir, config.root));
    const options = { sources, color: opts.color && target === undefined, workspace: process.env.GITHUB_WORKSPACE, rootLink: rootLink ? `${rootLink}/` : "", onlyPages };
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

/**
 * `--watch`: check once, then keep the process (compiler loaded, result cache warm) and check again after every
 * change under the root. The result cache decides what is really checked again: a changed page; on a page whose
 * earlier block changed, the blocks that see it (page context); every page a changed local module or config setup
 * file reaches. Prints only the pages whose result changed, then the summary; the reports are written each time.
 * The configuration is read once (restart after changing it). Ctrl-C stops it (exit 130, via cli.ts's handlers).
 */
export async function watchCommand(config: ResolvedConfig, args: string[], flags: Flags, opts: Output): Promise<number> {
  if (config.update || config.fix || config.updateBaseline || config.shard || config.changed !== undefined) {
    throw new UsageError("--watch cannot be combined with --update, --fix, --update-baseline, --shard or --changed", "run those once without --watch");
  }
  const partial = args.length > 0;
  const checkOnce = async () => (await checkWithTemplates(config, { paths: args, base: process.cwd(), requireTemplates: Boolean(flags.templates) })).run;
  let previous = await checkOnce();
  emit(previous.result, sourcesOf(previous), config, opts, [], partial);
  const ignored = [config.out, path.join(config.root, "node_modules"), path.join(config.root, ".git")];
  const relevant = (abs: string) =>
    !ignored.some((dir) => abs === dir || abs.startsWith(dir + path.sep)) && /\.(mdx?|[cm]?[jt]sx?|json|hbs)$/.test(abs) && !path.basename(abs).startsWith(".");
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  const cycle = async () => {
    if (running) return;
    running = true;
    const files = [...changed].sort();
    changed.clear();
    try {
      const next = await checkOnce();
      const key = (p: PageResult) => JSON.stringify({ b: p.blocks, f: p.findings, s: p.skipReason });
      const before = new Map(previous.result.pages.map((p) => [p.page, key(p)]));
      const pages = next.result.pages.filter((p) => before.get(p.page) !== key(p));
      const gone = [...before.keys()].filter((p) => !next.result.pages.some((q) => q.page === p));
      process.stdout.write(`\n── changed: ${files.join(", ")}\n`);
      for (const p of pages) if (!p.findings.some((f) => f.severity !== "info" && !f.baselined)) process.stdout.write(`${p.page}: no findings now\n`);
      for (const p of gone) process.stdout.write(`${p}: no longer checked\n`);
      emit(next.result, sourcesOf(next), config, opts, [], partial, new Set(pages.map((p) => p.page)));
      previous = next;
    } catch (err) {
      // A bad edit (a page glob that matches nothing, an unreadable file) is reported; watching goes on.
      const e = err as Error & { hint?: string };
      process.stderr.write(`validate-docs: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ""}\n`);
    } finally {
      running = false;
      if (changed.size) schedule();
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void cycle(), 150);
  };
  const onFile = (abs: string) => {
    if (!relevant(abs)) return;
    changed.add(toPosix(path.relative(config.root, abs)));
    if (!running) schedule();
  };
  // Runs until interrupted: the SIGINT/SIGTERM handlers in cli.ts stop running examples and exit.
  return new Promise<number>((resolve) => {
    watchTree(config.root, (dir) => ignored.includes(dir) || (dir !== config.root && path.basename(dir).startsWith(".")), onFile, (err) => {
      process.stderr.write(`validate-docs: watching stopped: ${err.message}\n`);
      resolve(EXIT.error);
    });
    // Only now: every directory is watched, so an edit made once this line is printed is seen.
    process.stdout.write(`\nwatching ${path.relative(process.cwd(), config.root) || "."} for changes (Ctrl-C to stop)\n`);
  });
}

/**
 * Watches `root` and the directories below it (not those `skip` names), one non-recursive `fs.watch` per directory,
 * set up synchronously: when this returns, a change anywhere in the tree is reported. Node 20's `recursive: true` on
 * Linux walks the tree asynchronously after returning (nodejs/node#48437), so an edit made right after the
 * "watching" line could be missed. A directory created later is watched when it appears, and the files already in
 * it count as changed. An error on the root stops the watch (`onError`); a watched subdirectory that goes away is
 * dropped.
 */
function watchTree(root: string, skip: (dir: string) => boolean, onFile: (abs: string) => void, onError: (err: Error) => void): void {
  const watched = new Map<string, fs.FSWatcher>();
  const add = (dir: string, initial: boolean): void => {
    if (watched.has(dir) || skip(dir)) return;
    let entries: fs.Dirent[];
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(dir, (_event, name) => {
        if (!name) return;
        const abs = path.join(dir, name.toString());
        let isDir = false;
        try {
          isDir = fs.statSync(abs).isDirectory();
        } catch {
          // removed: a file is reported (its page is gone), a directory's watcher reports its own end
        }
        if (isDir) add(abs, false);
        else onFile(abs);
      });
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if (dir === root) onError(err as Error);
      return;
    }
    watched.set(dir, watcher);
    watcher.on("error", (err) => {
      watcher.close();
      watched.delete(dir);
      if (dir === root) onError(err);
    });
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) add(abs, initial);
      else if (!initial) onFile(abs); // a directory that appeared while watching: its files are new
    }
  };
  add(root, true);
}

function sourcesOf(run: CheckRun): Map<string, string> {
  return new Map([...run.pages].map(([k, p]) => [k, p.source]));
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
