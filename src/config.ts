// Loads and validates configuration: validate-docs.config.{ts,mts,mjs,js,json} + CLI overrides → ResolvedConfig.
// Options, their checks and defaults come from the one option table (src/options.ts); a bad value is a ConfigError
// naming it, and every problem is reported at once.
import fs from "node:fs";
import path from "node:path";
import type { CheckJsSetting, ResolvedConfig, ResolvedSandbox, UserConfig } from "./config-types.js";
import type { CheckJsMode } from "./types.js";
import { ConfigError } from "./errors.js";
import { parseDuration } from "./extract/attributes.js";
import { CONFIG_OPTIONS, DEFAULT_INCLUDE, defaultOf, parseReporterSpec } from "./options.js";
import { importModule, ModuleBuildError } from "./util/import-module.js";
import { parseShard } from "./shard.js";
import { closest } from "./util/suggest.js";
import { workspacePackages } from "./workspaces.js";

export { DEFAULT_INCLUDE, parseReporterSpec };

export const CONFIG_NAMES = [
  "validate-docs.config.ts",
  "validate-docs.config.mts",
  "validate-docs.config.mjs",
  "validate-docs.config.js",
  "validate-docs.config.json",
];

/** Typed identity helper for config files. */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}

export function findConfigFile(root: string): string | undefined {
  for (const name of CONFIG_NAMES) {
    const file = path.join(root, name);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/**
 * The nearest directory from `cwd` up that holds a validate-docs config or a package.json (as ESLint and vitest
 * find theirs); the search stops at a git repository's top. `cwd` itself when there is none.
 */
export function findProjectRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (findConfigFile(dir) || fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (fs.existsSync(path.join(dir, ".git")) || path.dirname(dir) === dir) return cwd;
  }
}

export async function loadConfigFile(file: string): Promise<UserConfig> {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new ConfigError(`config file not found: ${file}`, "check the --config path");
  if (abs.endsWith(".json")) {
    const text = fs.readFileSync(abs, "utf8");
    try {
      return JSON.parse(text) as UserConfig;
    } catch (err) {
      throw new ConfigError(`${rel(abs)}: ${jsonErrorWhere(text, err as Error)}`, "fix the JSON syntax");
    }
  }
  let mod: { default?: unknown };
  try {
    mod = (await importModule(abs)) as { default?: unknown };
  } catch (err) {
    if (err instanceof ModuleBuildError) throw new ConfigError(err.message, "fix the config file");
    throw new ConfigError(`${rel(abs)}: loading the config failed: ${(err as Error).message}`);
  }
  const value = mod.default;
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(`${rel(abs)}: the config must \`export default defineConfig({ … })\` (an object)`);
  }
  return value as UserConfig;
}

function rel(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

function jsonErrorWhere(text: string, err: Error): string {
  const m = /position (\d+)/.exec(err.message);
  if (!m) return err.message;
  const offset = Number(m[1]);
  const before = text.slice(0, offset).split(/\r?\n/);
  return `${before.length}:${before[before.length - 1]!.length + 1}: ${err.message}`;
}

/** Throws ConfigError on an unknown option or a bad value; `source` names where the options came from. */
export function validateConfig(config: Record<string, unknown>, source: string): UserConfig {
  // Every problem at once: fixing a config one error per run is slow.
  const problems: { message: string; hint?: string }[] = [];
  for (const [key, value] of Object.entries(config)) {
    // `$schema` / `$comment` keys are allowed in JSON configs and ignored.
    if (value === undefined || key.startsWith("$")) continue;
    const option = CONFIG_OPTIONS.get(key as keyof UserConfig);
    if (!option) {
      const known = [...CONFIG_OPTIONS.keys()];
      const guess = closest(key, known);
      problems.push({
        message: `unknown option \`${key}\` in ${source}`,
        hint: guess ? `did you mean \`${guess}\`?` : `known options: ${known.join(", ")}`,
      });
      continue;
    }
    try {
      for (const err of option.check?.(value, key) ?? []) problems.push({ message: `${source}: ${err.message}`, hint: err.hint });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push({ message: `${source}: ${err.message}`, hint: err.hint });
    }
  }
  if (problems.length === 1) throw new ConfigError(problems[0]!.message, problems[0]!.hint);
  if (problems.length > 1) {
    const lines = problems.map((p) => `  - ${p.message}${p.hint ? ` (${p.hint})` : ""}`);
    throw new ConfigError(`${problems.length} problems in the configuration:\n${lines.join("\n")}`);
  }
  return config as UserConfig;
}

export interface CliOverrides extends UserConfig {
  config?: string;
  update?: boolean;
  fix?: boolean;
  changed?: string;
  maxWarnings?: number;
  bail?: boolean;
  /** `--shard k/n`. */
  shard?: string;
  updateBaseline?: boolean;
  force?: boolean;
}

/** Resolves config: defaults ← config file ← CLI flags. */
export async function resolveConfig(cli: CliOverrides, cwd = process.cwd()): Promise<ResolvedConfig> {
  const { config: configPath, update, fix, changed, maxWarnings, bail, shard, updateBaseline, force, ...flags } = cli;
  if (maxWarnings !== undefined && !(Number.isInteger(maxWarnings) && maxWarnings >= 0)) {
    throw new ConfigError(`invalid value for --max-warnings: ${JSON.stringify(maxWarnings)} (expected a whole number, 0 or more)`);
  }
  validateConfig(flags as Record<string, unknown>, "command-line flags");
  const rootFromCli = flags.root ? path.resolve(cwd, flags.root) : undefined;
  // Run from a subdirectory, the project is the nearest directory up with a config file or package.json.
  const projectDir = rootFromCli ?? (configPath ? cwd : findProjectRoot(cwd));
  const configFile = configPath ? path.resolve(cwd, configPath) : findConfigFile(projectDir);
  let fileConfig: UserConfig = {};
  if (configFile) fileConfig = validateConfig(await loadConfigFile(configFile) as Record<string, unknown>, path.basename(configFile));
  const merged: UserConfig = { ...fileConfig, ...stripUndefined(flags as Record<string, unknown>) };
  if (updateBaseline && !merged.baseline) throw new ConfigError("--update-baseline needs a baseline file", "pass --baseline FILE (or set `baseline` in the config)");
  if (force && !updateBaseline) throw new ConfigError("--force is only for --update-baseline (and `templates render`)", "add --update-baseline to grow the baseline with today's new failures");
  const root = rootFromCli ?? (fileConfig.root ? path.resolve(path.dirname(configFile!), fileConfig.root) : configFile ? path.dirname(configFile) : projectDir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new ConfigError(`root directory not found: ${root}`, "pass an existing directory with --root");
  }
  let tsconfig: string | undefined;
  if (merged.tsconfig) {
    tsconfig = path.resolve(flags.tsconfig ? cwd : root, merged.tsconfig);
    if (!fs.existsSync(tsconfig)) throw new ConfigError(`tsconfig not found: ${merged.tsconfig}`, "check the `tsconfig` option");
  } else if (fs.existsSync(path.join(root, "tsconfig.json"))) {
    tsconfig = path.join(root, "tsconfig.json");
  }
  // A monorepo: every workspace package's pages, each package with its own tsconfig (src/workspaces.ts).
  const packages = await workspacePackages(
    root,
    findConfigFile,
    async (file) => validateConfig((await loadConfigFile(file)) as Record<string, unknown>, path.relative(root, file)),
    DEFAULT_INCLUDE,
  );
  // With `include` set in the root config, only packages with a config file of their own add pages.
  const adding = packages.filter((p) => merged.include === undefined || p.configFile);
  return {
    root,
    configFile,
    include: [...(merged.include ?? defaultOf("include")), ...adding.flatMap((p) => p.include)],
    exclude: [...(merged.exclude ?? defaultOf("exclude")), ...adding.flatMap((p) => p.exclude)],
    tsconfig,
    ...(flags.tsconfig ? { tsconfigForAll: true } : {}),
    packages,
    out: path.resolve(flags.out ? cwd : root, merged.out ?? defaultOf("out")),
    checkJs: checkJsDefaults(merged.checkJs),
    typecheck: merged.typecheck ?? defaultOf("typecheck"),
    run: merged.run ?? defaultOf("run"),
    lint: merged.lint ?? defaultOf("lint"),
    timeout: durationMs(merged.timeout ?? defaultOf("timeout")),
    concurrency: merged.concurrency ?? defaultOf("concurrency"),
    memoryLimit: merged.memoryLimit ?? defaultOf("memoryLimit"),
    warnings: merged.warnings ?? defaultOf("warnings"),
    allowWarnings: merged.allowWarnings ?? defaultOf("allowWarnings"),
    env: merged.env ?? defaultOf("env"),
    passEnv: merged.passEnv ?? defaultOf("passEnv"),
    network: merged.network ?? defaultOf("network"),
    sandbox: resolveSandbox(merged.sandbox, root),
    isolate: merged.isolate ?? defaultOf("isolate"),
    typescript: merged.typescript ?? defaultOf("typescript"),
    rules: merged.rules ?? defaultOf("rules"),
    plugins: (merged.plugins as Record<string, unknown>) ?? defaultOf("plugins"),
    bannedApis: merged.bannedApis ?? defaultOf("bannedApis"),
    templates: merged.templates ?? defaultOf("templates"),
    setup: Object.entries(merged.setup ?? {}).map(([glob, files]) => {
      const list = typeof files === "string" ? [files] : files;
      for (const f of list) {
        if (!fs.existsSync(path.resolve(root, f))) throw new ConfigError(`setup file not found: ${f} (for pages matching ${glob})`, "check the `setup` option; paths are relative to the root");
      }
      return { glob, files: list.map((f) => path.relative(root, path.resolve(root, f)).split(path.sep).join("/")) };
    }),
    context:
      typeof merged.context === "string"
        ? [{ glob: "**", mode: merged.context }]
        : Object.entries(merged.context ?? {}).map(([glob, mode]) => ({ glob, mode })),
    ...resolveReporters(merged.reporters ?? defaultOf("reporters"), flags.reporters ? cwd : root),
    cache: merged.cache ?? defaultOf("cache"),
    levels: levelDefaults(merged.level),
    environments:
      typeof merged.environment === "string"
        ? [{ glob: "**", env: merged.environment }]
        : Object.entries(merged.environment ?? {}).map(([glob, env]) => ({ glob, env })),
    strict: merged.strict ?? defaultOf("strict"),
    pack: merged.pack ?? defaultOf("pack"),
    update: update ?? false,
    fix: fix ?? false,
    changed,
    ...(maxWarnings !== undefined ? { maxWarnings } : {}),
    bail: bail ?? false,
    ...(merged.baseline ? { baseline: path.resolve(flags.baseline ? cwd : root, merged.baseline) } : {}),
    updateBaseline: updateBaseline ?? false,
    force: force ?? false,
    ...(shard !== undefined ? { shard: parseShard(shard) } : {}),
  };
}

/** Reporter ids in order, and the paths given to them: absolute, or `-` for standard output. */
function resolveReporters(specs: string[], base: string): { reporters: string[]; reporterPaths: Record<string, string> } {
  const reporters: string[] = [];
  const reporterPaths: Record<string, string> = {};
  for (const spec of specs) {
    const { id, path: target } = parseReporterSpec(spec);
    if (!reporters.includes(id)) reporters.push(id);
    if (target !== undefined) reporterPaths[id] = target === "-" ? "-" : path.resolve(base, target);
  }
  return { reporters, reporterPaths };
}

function resolveSandbox(value: UserConfig["sandbox"], root: string): ResolvedSandbox | false {
  if (value === false) return false;
  const o = typeof value === "object" ? value : {};
  return {
    childProcess: o.childProcess ?? false,
    workers: o.workers ?? false,
    addons: o.addons ?? false,
    read: (o.read ?? []).map((p) => path.resolve(root, p)),
    write: (o.write ?? []).map((p) => path.resolve(root, p)),
  };
}

const checkJsMode = (v: CheckJsSetting): CheckJsMode => (v === true ? "full" : v === false ? "off" : v);

/** Config `checkJs` as JavaScript modes per page glob (none → every page "typed"). */
function checkJsDefaults(value: UserConfig["checkJs"]): ResolvedConfig["checkJs"] {
  if (value === undefined) return [];
  if (typeof value !== "object") return [{ glob: "**", mode: checkJsMode(value) }];
  return Object.entries(value).map(([glob, v]) => ({ glob, mode: checkJsMode(v) }));
}

function levelDefaults(level: UserConfig["level"]): ResolvedConfig["levels"] {
  if (level === undefined) return [];
  if (typeof level === "string") return [{ glob: "**", level }];
  return Object.entries(level).map(([glob, l]) => ({ glob, level: l }));
}

function durationMs(value: number | string): number {
  return typeof value === "string" ? parseDuration(value)! : value;
}

function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
