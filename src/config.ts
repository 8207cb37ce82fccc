// Loads and validates configuration: validate-docs.config.{ts,mts,mjs,js,json} + CLI overrides → ResolvedConfig.
// Every option and its default is documented in docs/configuration.md; a bad value is a ConfigError naming it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ResolvedConfig, ResolvedSandbox, RuleSetting, UserConfig } from "./config-types.js";
import { ConfigError } from "./errors.js";
import { parseDuration } from "./extract/attributes.js";
import { CHECK_LEVELS } from "./types.js";
import { closest } from "./util/suggest.js";

export const CONFIG_NAMES = [
  "validate-docs.config.ts",
  "validate-docs.config.mts",
  "validate-docs.config.mjs",
  "validate-docs.config.js",
  "validate-docs.config.json",
];

export const DEFAULT_INCLUDE = ["docs/**/*.{md,mdx}", "README.md"];

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
  let url = pathToFileURL(abs).href;
  let temp: string | undefined;
  if (/\.(c|m)?ts$/.test(abs)) {
    // Bundle relative imports (e.g. a user rule in ./rules/x.ts) and keep packages external, next to the config
    // file so bare imports resolve from the user's node_modules.
    const esbuild = await import("esbuild");
    temp = path.join(path.dirname(abs), `.validate-docs.config.${process.pid}.${Date.now()}.mjs`);
    try {
      await esbuild.build({
        entryPoints: [abs],
        outfile: temp,
        bundle: true,
        packages: "external",
        format: "esm",
        platform: "node",
        target: "node20",
        logLevel: "silent",
      });
    } catch (err) {
      const e = err as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] };
      const first = e.errors?.[0];
      const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}` : rel(abs);
      throw new ConfigError(`${where}: ${first?.text ?? String(err)}`, "fix the config file");
    }
    url = pathToFileURL(temp).href;
  }
  try {
    const mod = (await import(url)) as { default?: unknown };
    const value = mod.default;
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      throw new ConfigError(`${rel(abs)}: the config must \`export default defineConfig({ … })\` (an object)`);
    }
    return value as UserConfig;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`${rel(abs)}: loading the config failed: ${(err as Error).message}`);
  } finally {
    if (temp) fs.rmSync(temp, { force: true });
  }
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

type Check = (value: unknown, name: string) => void;
const isStr: Check = (v, n) => {
  if (typeof v !== "string") throw bad(n, v, "a string");
};
const isBool: Check = (v, n) => {
  if (typeof v !== "boolean") throw bad(n, v, "true or false");
};
const isPosInt: Check = (v, n) => {
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw bad(n, v, "a positive integer");
};
/** Milliseconds, or a duration string as block attributes take it (`250ms`, `5s`, `2m`). */
const isDuration: Check = (v, n) => {
  if (typeof v === "number" ? !(Number.isInteger(v) && v > 0) : typeof v !== "string" || parseDuration(v) === undefined) {
    throw bad(n, v, 'a positive number of milliseconds or a duration like "5s"');
  }
};
const isStrArray: Check = (v, n) => {
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw bad(n, v, "an array of strings");
};
const isLevel: Check = (v, n) => {
  if (v !== "error" && v !== "warn" && v !== "off") throw bad(n, v, '"error", "warn" or "off"');
};
const isObject: Check = (v, n) => {
  if (!v || typeof v !== "object" || Array.isArray(v)) throw bad(n, v, "an object");
};
const isStrRecord: Check = (v, n) => {
  isObject(v, n);
  for (const [k, x] of Object.entries(v as object)) if (typeof x !== "string") throw bad(`${n}.${k}`, x, "a string");
};
const isRules: Check = (v, n) => {
  isObject(v, n);
  for (const [k, x] of Object.entries(v as object)) {
    const setting = x as RuleSetting;
    if (Array.isArray(setting)) {
      isLevel(setting[0], `${n}.${k}[0]`);
      if (setting[1] !== undefined) isObject(setting[1], `${n}.${k}[1]`);
    } else isLevel(setting, `${n}.${k}`);
  }
};
const SANDBOX_KEYS: Record<string, Check> = {
  childProcess: (v, n) => isBool(v, n),
  workers: (v, n) => isBool(v, n),
  addons: (v, n) => isBool(v, n),
  read: (v, n) => isStrArray(v, n),
  write: (v, n) => isStrArray(v, n),
};
const isSandbox: Check = (v, n) => {
  if (typeof v === "boolean") return;
  if (!v || typeof v !== "object" || Array.isArray(v)) throw bad(n, v, "true, false or an object { childProcess, workers, addons, read, write }");
  for (const [k, x] of Object.entries(v as object)) {
    const check = SANDBOX_KEYS[k];
    if (!check) throw new ConfigError(`unknown key \`${n}.${k}\``, `known keys: ${Object.keys(SANDBOX_KEYS).join(", ")}`);
    check(x, `${n}.${k}`);
  }
};
const isLevelName = (v: unknown): boolean => typeof v === "string" && (CHECK_LEVELS as readonly string[]).includes(v);
/** A level, or page glob → level. */
const isLevelSetting: Check = (v, n) => {
  const expected = `${CHECK_LEVELS.map((l) => `"${l}"`).join(", ")}, or an object of page glob → level`;
  if (typeof v === "string") {
    if (!isLevelName(v)) throw bad(n, v, expected);
    return;
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw bad(n, v, expected);
  for (const [k, x] of Object.entries(v as object)) if (!isLevelName(x)) throw bad(`${n}["${k}"]`, x, CHECK_LEVELS.map((l) => `"${l}"`).join(", "));
};
const isArray: Check = (v, n) => {
  if (!Array.isArray(v)) throw bad(n, v, "an array");
};

/** The option table: name → validator. The CLI and docs/configuration.md follow it. */
const OPTIONS: Record<keyof UserConfig, Check> = {
  root: isStr,
  include: isStrArray,
  exclude: isStrArray,
  tsconfig: isStr,
  out: isStr,
  checkJs: isBool,
  typecheck: isBool,
  run: isBool,
  lint: isBool,
  timeout: isDuration,
  concurrency: isPosInt,
  memoryLimit: isPosInt,
  warnings: isLevel,
  allowWarnings: isStrArray,
  env: isStrRecord,
  passEnv: isStrArray,
  network: isStrArray,
  sandbox: isSandbox,
  rules: isRules,
  plugins: isObject,
  bannedApis: isArray,
  templates: isArray,
  setup: (v, n) => {
    isObject(v, n);
    for (const [k, x] of Object.entries(v as object)) {
      if (typeof x !== "string" && !(Array.isArray(x) && x.every((f) => typeof f === "string"))) throw bad(`${n}["${k}"]`, x, "a file path or an array of file paths");
    }
  },
  context: (v, n) => {
    const isMode = (x: unknown) => x === "page" || x === "none";
    if (typeof v === "string") {
      if (!isMode(v)) throw bad(n, v, '"page" or "none", or an object of page glob → "page" | "none"');
      return;
    }
    isObject(v, n);
    for (const [k, x] of Object.entries(v as object)) if (!isMode(x)) throw bad(`${n}["${k}"]`, x, '"page" or "none"');
  },
  reporters: isStrArray,
  cache: isBool,
  level: isLevelSetting,
  strict: isBool,
};

export const REPORTERS = ["console", "json", "markdown", "junit", "sarif", "github", "html"];

/** `NAME[=PATH]`: a reporter and where its output goes (`-` = standard output). */
export function parseReporterSpec(spec: string): { id: string; path?: string } {
  const eq = spec.indexOf("=");
  if (eq < 0) return { id: spec.trim() };
  return { id: spec.slice(0, eq).trim(), path: spec.slice(eq + 1).trim() };
}

function bad(name: string, value: unknown, expected: string): ConfigError {
  return new ConfigError(`invalid value for option \`${name}\`: ${JSON.stringify(value) ?? String(value)} (expected ${expected})`);
}

/** Throws ConfigError on an unknown option or a bad value; `source` names where the options came from. */
export function validateConfig(config: Record<string, unknown>, source: string): UserConfig {
  // Every problem at once: fixing a config one error per run is slow.
  const problems: { message: string; hint?: string }[] = [];
  for (const [key, value] of Object.entries(config)) {
    // `$schema` / `$comment` keys are allowed in JSON configs and ignored.
    if (value === undefined || key.startsWith("$")) continue;
    const check = OPTIONS[key as keyof UserConfig];
    if (!check) {
      const guess = closest(key, Object.keys(OPTIONS));
      problems.push({
        message: `unknown option \`${key}\` in ${source}`,
        hint: guess ? `did you mean \`${guess}\`?` : `known options: ${Object.keys(OPTIONS).join(", ")}`,
      });
      continue;
    }
    try {
      check(value, key);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push({ message: `${source}: ${err.message}`, hint: err.hint });
    }
  }
  const reporters = Array.isArray(config.reporters) ? (config.reporters as string[]) : [];
  const seen = new Map<string, string | undefined>();
  for (const r of reporters) {
    const { id, path: target } = parseReporterSpec(r);
    if (!REPORTERS.includes(id)) {
      const guess = closest(id, REPORTERS);
      problems.push({ message: `${source}: unknown reporter \`${id}\``, hint: `${guess ? `did you mean \`${guess}\`? ` : ""}known reporters: ${REPORTERS.join(", ")}` });
    } else if (target === "") {
      problems.push({ message: `${source}: reporter \`${r}\` has an empty path`, hint: `write \`${id}=FILE\`, \`${id}=-\` for standard output, or just \`${id}\`` });
    } else if (seen.has(id) && seen.get(id) !== target) {
      problems.push({ message: `${source}: reporter \`${id}\` is given twice with different paths`, hint: "give each reporter once" });
    }
    seen.set(id, target);
  }
  const toStdout = reporters.map(parseReporterSpec).filter((r) => r.path === "-" || ((r.id === "console" || r.id === "github") && r.path === undefined));
  if (toStdout.some((r) => r.path === "-") && new Set(toStdout.map((r) => r.id)).size > 1) {
    problems.push({
      message: `${source}: more than one reporter writes to standard output (${[...new Set(toStdout.map((r) => r.id))].join(", ")})`,
      hint: "a report piped from `-` must be alone on stdout: give the others a file (`console=run.log`) or drop them",
    });
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
}

/** Resolves config: defaults ← config file ← CLI flags. */
export async function resolveConfig(cli: CliOverrides, cwd = process.cwd()): Promise<ResolvedConfig> {
  const { config: configPath, update, fix, changed, maxWarnings, bail, ...flags } = cli;
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
  return {
    root,
    configFile,
    include: merged.include ?? DEFAULT_INCLUDE,
    exclude: merged.exclude ?? [],
    tsconfig,
    out: path.resolve(flags.out ? cwd : root, merged.out ?? "reports"),
    checkJs: merged.checkJs ?? false,
    typecheck: merged.typecheck ?? true,
    run: merged.run ?? true,
    lint: merged.lint ?? true,
    timeout: typeof merged.timeout === "string" ? parseDuration(merged.timeout)! : merged.timeout ?? 10_000,
    concurrency: merged.concurrency ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
    memoryLimit: merged.memoryLimit ?? 512,
    warnings: merged.warnings ?? "error",
    allowWarnings: merged.allowWarnings ?? [],
    env: merged.env ?? {},
    passEnv: merged.passEnv ?? [],
    network: merged.network ?? [],
    sandbox: resolveSandbox(merged.sandbox, root),
    rules: merged.rules ?? {},
    plugins: (merged.plugins as Record<string, unknown>) ?? {},
    bannedApis: merged.bannedApis ?? [],
    templates: merged.templates ?? [],
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
    ...resolveReporters(merged.reporters ?? ["console", "json", "markdown"], flags.reporters ? cwd : root),
    cache: merged.cache ?? true,
    levels: levelDefaults(merged.level),
    strict: merged.strict ?? false,
    update: update ?? false,
    fix: fix ?? false,
    changed,
    ...(maxWarnings !== undefined ? { maxWarnings } : {}),
    bail: bail ?? false,
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

function levelDefaults(level: UserConfig["level"]): ResolvedConfig["levels"] {
  if (level === undefined) return [];
  if (typeof level === "string") return [{ glob: "**", level }];
  return Object.entries(level).map(([glob, l]) => ({ glob, level: l }));
}

function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
