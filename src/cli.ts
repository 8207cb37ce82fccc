// Thin CLI over the option table in options.ts. Sets the exit code: 0 clean, 1 error findings,
// 2 usage/config/internal error (never 0 on an internal error).
import { cac, type Command } from "cac";
import pc from "picocolors";
import { EXIT, toOverrides, type Flags } from "./cli-options.js";
import { resolveConfig } from "./config.js";
import { helpText, optionsOf, type CommandName } from "./options.js";
import { isUsageError, UsageError } from "./errors.js";
import { emergencyCleanup } from "./run/cleanup.js";
import { closest } from "./util/suggest.js";
import { VERSION } from "./version.js";

/** Adds a command's options from the option table (src/options.ts). */
function withOptions(cmd: Command, name: CommandName): Command {
  for (const o of optionsOf(name)) cmd.option(o.flag!, helpText(o));
  return cmd;
}

function buildCli() {
  const cli = cac("validate-docs");
  withOptions(
    cli.command("[...paths]", "Check TypeScript/JavaScript code blocks in Markdown/MDX pages (default: docs/**/*.{md,mdx} and README.md)"),
    "check",
  )
    .example("validate-docs")
    .example("validate-docs docs/guide.md --no-run")
    .example("validate-docs --root path/to/project --out reports")
    .example("validate-docs templates render --out docs/integrations")
    .example("validate-docs --shard 2/4 --out reports/shard-2")
    .example("validate-docs merge-reports reports/shard-*")
    .example("validate-docs init-hook");
  withOptions(
    cli.command("templates <action>", "`templates render`: check every template variant, then write the rendered pages only if all pass"),
    "templates",
  ).example("validate-docs templates render --out docs/integrations");
  withOptions(
    cli.command("merge-reports <...dirs>", "Join the report directories of `--shard k/n` runs into the report set of one run (needs each shard's index.json)"),
    "merge-reports",
  ).example("validate-docs merge-reports shard-1 shard-2 shard-3 shard-4");
  withOptions(cli.command("init-hook", "Install a git pre-push hook that runs validate-docs --changed against the remote branch"), "init-hook");
  // cac gives `--no-x` flags a default of true and prints "(default: true)", which reads as "skipped by default";
  // we read negations from argv ourselves, so drop that default from the help.
  for (const command of [cli.globalCommand, ...cli.commands]) {
    for (const option of command.options) if (option.negated) delete option.config.default;
  }
  cli.help();
  cli.version(VERSION);
  return cli;
}

/** Runs the CLI and returns the exit code. Never throws for user errors. */
export async function main(argv: string[]): Promise<number> {
  installInterruptHandlers();
  const guard = guardUnfinishedExit();
  try {
    return await runMain(argv, guard);
  } finally {
    guard.finished = true;
  }
}

interface ExitGuard {
  /** What the CLI is waiting for, named in the error when the process ends before main() returns. */
  phase: string;
  finished: boolean;
}

/**
 * Node exits with code 0 when the event loop empties while a promise is still pending: a config file or rule
 * plugin whose top-level `await` never settles (or that calls `process.exit(0)` while loading) would end the run
 * with no output, no reports and exit 0, a silent pass. Any exit before main() returns is an internal error (exit 2)
 * that says what was being waited for; only the interrupt handlers' 130/143 are let through.
 */
function guardUnfinishedExit(): ExitGuard {
  const guard: ExitGuard = { phase: "starting", finished: false };
  let drained = false;
  // Fires only when the event loop empties on its own (never on an explicit process.exit).
  process.on("beforeExit", () => {
    drained = true;
  });
  process.on("exit", (code) => {
    if (guard.finished || interrupted) return;
    const how = drained ? "nothing was left to run while a promise was still pending" : `something called process.exit(${code})`;
    process.stderr.write(
      `validate-docs: internal error: the run ended before it finished while ${guard.phase} (${how}); nothing was checked or reported.\n` +
        "  hint: a config file or rule plugin whose top-level `await` never settles, or that exits the process, does this; make it finish.\n",
    );
    process.exitCode = EXIT.error;
  });
  return guard;
}

async function runMain(argv: string[], guard: ExitGuard): Promise<number> {
  const cli = buildCli();
  const color = !argv.includes("--no-color") && pc.isColorSupported;
  try {
    const parsed = cli.parse(["node", "validate-docs", ...argv], { run: false });
    if (parsed.options.help || parsed.options.version) return EXIT.ok;
    const command = cli.matchedCommand;
    if (!command) {
      throw new UsageError(`unknown command: ${parsed.args.join(" ")}`, "run `validate-docs --help`");
    }
    // cac validates unknown options and required args only when it runs the matched command's action; unknown
    // options are checked here, against the flags as typed, with a did-you-mean.
    checkUnknownFlags(argv, [...cli.globalCommand.options, ...command.options]);
    command.checkOptionValue();
    command.checkRequiredArgs();
    const flags = parsed.options as Flags;
    const args = parsed.args as string[];
    const quiet = Boolean(flags.quiet);
    // The compiler, remark and esbuild (commands.js) load only when a command needs them, so --help and --version
    // start fast, and a bad flag value or config file is reported before they load.
    if (command.name === "init-hook") return (await import("./init-hook.js")).initHook(flags);
    const commands = () => import("./commands.js");
    guard.phase = `running \`${command.name}\` (loading the configuration, then checking)`;
    if (command.name === "templates") return await (await commands()).templatesCommand(args, flags, argv, { color, quiet });
    if (command.name === "merge-reports") return await (await commands()).mergeReportsCommand(args, flags, argv, { color, quiet });
    guard.phase = "loading the configuration";
    const config = await resolveConfig(toOverrides(flags, argv));
    guard.phase = "checking pages (loading rule plugins, type-checking, running, linting)";
    const { watchCommand, checkCommand } = await commands();
    if (flags.watch) return await watchCommand(config, args, flags, { color, quiet });
    return await checkCommand(config, args, flags, { color, quiet });
  } catch (err) {
    return reportError(err);
  }
}

/** Rejects a flag the command does not take, naming it as typed (`--no-rnu`) and suggesting the closest one. */
function checkUnknownFlags(argv: string[], options: { rawName: string; negated: boolean }[]): void {
  const known = new Set<string>();
  for (const option of options) {
    for (const part of option.rawName.split(",")) {
      const flag = part.trim().split(/[\s<[]/)[0]!;
      known.add(flag);
      // `--no-x` also accepts `--x`.
      if (option.negated && flag.startsWith("--no-")) known.add(`--${flag.slice(5)}`);
    }
  }
  for (const arg of argv) {
    if (arg === "--") break;
    if (!arg.startsWith("-") || arg === "-" || /^-\d/.test(arg)) continue;
    const flag = arg.split("=")[0]!;
    if (known.has(flag)) continue;
    // Bundled short flags (`-qc`): each letter must be known.
    if (!flag.startsWith("--") && flag.length > 2 && [...flag.slice(1)].every((c) => known.has(`-${c}`))) continue;
    const guess = flag.startsWith("--") ? closest(flag, [...known].filter((k) => k.startsWith("--")), 3) : undefined;
    throw new UsageError(`unknown option \`${flag}\``, guess ? `did you mean \`${guess}\`? (\`validate-docs --help\` lists the options)` : "run `validate-docs --help` for the options");
  }
}

let interrupted = false;

/** Ctrl-C or a CI cancel must not leave example processes or temp dirs behind. */
function installInterruptHandlers(): void {
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    emergencyCleanup();
    process.stderr.write(`validate-docs: interrupted (${signal}); running examples were stopped and temp files removed\n`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", emergencyCleanup);
}

function reportError(err: unknown): number {
  const e = err as Error & { hint?: string; name?: string };
  if (isUsageError(err) || e?.name === "CACError") {
    process.stderr.write(`validate-docs: ${e.message}\n`);
    if (e.hint) process.stderr.write(`  hint: ${e.hint}\n`);
    else if (e.name === "CACError") process.stderr.write("  hint: run `validate-docs --help` for the options\n");
    return EXIT.error;
  }
  process.stderr.write(`validate-docs: internal error: ${e?.stack ?? String(err)}\n`);
  process.stderr.write("  This is a bug in validate-docs; nothing was reported as passing. Please file an issue with this output.\n");
  return EXIT.error;
}
