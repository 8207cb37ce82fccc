// The parsed command-line flags and how they become config overrides; shared by cli.ts and commands.ts.
import type { CliOverrides } from "./config.js";

export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

export interface Flags {
  root?: string;
  config?: string;
  tsconfig?: string;
  out?: string;
  checkJs?: boolean | string;
  timeout?: number;
  concurrency?: number;
  memoryLimit?: number;
  warnings?: string;
  isolate?: string;
  typescript?: string | number;
  reporter?: string | string[];
  update?: boolean;
  fix?: boolean;
  changed?: string;
  maxWarnings?: number | string;
  bail?: boolean;
  shard?: string;
  watch?: boolean;
  baseline?: string;
  updateBaseline?: boolean;
  color?: boolean;
  quiet?: boolean;
  templates?: boolean;
  force?: boolean;
  command?: string;
  strict?: boolean;
  pack?: boolean;
}

export function toOverrides(flags: Flags, argv: string[]): CliOverrides {
  const has = (name: string) => argv.includes(name);
  const list = flags.reporter === undefined ? undefined : (Array.isArray(flags.reporter) ? flags.reporter : [flags.reporter]).flatMap((r) => String(r).split(","));
  // Non-numbers are passed on as-is so validation names the option (or reads a duration like "5s").
  const num = (v: unknown) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : (v as number);
  };
  return {
    root: flags.root,
    config: flags.config,
    tsconfig: flags.tsconfig,
    out: flags.out,
    // `--check-js` alone: every diagnostic (as TypeScript's checkJs); `--check-js typed|off|full` names the mode.
    checkJs: flags.checkJs === true ? "full" : (flags.checkJs as CliOverrides["checkJs"]),
    typecheck: has("--no-typecheck") ? false : undefined,
    run: has("--no-run") ? false : undefined,
    lint: has("--no-lint") ? false : undefined,
    cache: has("--no-cache") ? false : undefined,
    timeout: num(flags.timeout),
    concurrency: num(flags.concurrency),
    memoryLimit: num(flags.memoryLimit),
    warnings: flags.warnings as CliOverrides["warnings"],
    isolate: flags.isolate as CliOverrides["isolate"],
    // cac reads `--typescript 6` as a number.
    typescript: flags.typescript === undefined ? undefined : (String(flags.typescript) as CliOverrides["typescript"]),
    reporters: list,
    update: flags.update,
    fix: flags.fix,
    changed: flags.changed,
    maxWarnings: num(flags.maxWarnings),
    bail: flags.bail,
    strict: flags.strict,
    pack: flags.pack,
    baseline: flags.baseline,
    updateBaseline: flags.updateBaseline,
    force: flags.force,
    shard: flags.shard === undefined ? undefined : String(flags.shard),
  };
}

