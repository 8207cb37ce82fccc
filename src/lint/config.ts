// Turns `rules` / `bannedApis` config into the list of enabled rules with validated, frozen options.
// Every mistake is a ConfigError naming the rule and the option, so a typo never silently disables a rule.
import { closest as closestName } from "../util/suggest.js";
import type { BannedApi, RuleLevel, RuleSetting } from "../config-types.js";
import { ConfigError } from "../errors.js";
import type { Severity } from "../types.js";
import { checkOptions, deepFreeze } from "./schema.js";
import type { AnyRule } from "./types.js";

export interface EnabledRule {
  rule: AnyRule;
  severity: Exclude<Severity, "info">;
  options: Readonly<Record<string, unknown>>;
}

/** The rule that receives `bannedApis` from the config as its `bans` option. */
export const BANNED_API_RULE = "no-banned-api";

const LEVELS: readonly RuleLevel[] = ["error", "warn", "off"];

/**
 * Every registered rule is on at its `meta.severity` unless the config says `"off"`; a setting for an id
 * nobody registered is an error with the closest known id.
 */
export function resolveRules(
  registry: ReadonlyMap<string, AnyRule>,
  settings: Readonly<Record<string, RuleSetting>>,
  bannedApis: readonly BannedApi[] = [],
): Map<string, EnabledRule> {
  for (const id of Object.keys(settings)) {
    if (!registry.has(id)) {
      const near = closest(id, [...registry.keys()]);
      throw new ConfigError(
        `rules.${id}: unknown rule "${id}"${near ? `; did you mean "${near}"?` : ""}`,
        `Known rules: ${[...registry.keys()].sort().join(", ")}. Custom rules are registered under \`plugins\`.`,
      );
    }
  }
  const enabled = new Map<string, EnabledRule>();
  for (const [id, rule] of registry) {
    const { level, options } = parseSetting(id, settings[id]);
    if (level === "off") continue;
    const merged = id === BANNED_API_RULE ? withBans(options, bannedApis) : options;
    if (rule.meta.schema) {
      const problem = checkOptions(merged, rule.meta.schema);
      if (problem) {
        throw new ConfigError(`rules.${id}: invalid ${problem}`, `See the Options section of docs/rules/${id}.md.`);
      }
    }
    const severity = level === undefined ? rule.meta.severity : level === "warn" ? "warning" : "error";
    enabled.set(id, { rule, severity, options: deepFreeze(cloneData(merged)) });
  }
  return enabled;
}

function parseSetting(id: string, setting: RuleSetting | undefined): {
  level?: RuleLevel;
  options: Record<string, unknown>;
} {
  if (setting === undefined) return { options: {} };
  const [level, options] = Array.isArray(setting) ? setting : [setting, undefined];
  if (!LEVELS.includes(level)) {
    throw new ConfigError(`rules.${id}: level must be "error", "warn" or "off", got ${JSON.stringify(level)}`);
  }
  if (options !== undefined && (typeof options !== "object" || options === null || Array.isArray(options))) {
    throw new ConfigError(`rules.${id}: options must be an object, as in ["error", { … }]`);
  }
  return { level, options: { ...(options ?? {}) } };
}

function withBans(options: Record<string, unknown>, bannedApis: readonly BannedApi[]): Record<string, unknown> {
  if (bannedApis.length === 0) return options;
  const own = Array.isArray(options.bans) ? (options.bans as unknown[]) : [];
  if (options.bans !== undefined && !Array.isArray(options.bans)) return options; // the schema check reports it
  return { ...options, bans: [...bannedApis, ...own] };
}

/** Copies plain data so freezing never freezes the caller's config objects. */
function cloneData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneData) as T;
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneData(v)])) as T;
  }
  return value;
}

/** The known id closest to `id` by edit distance, when it is close enough to be a likely typo. */
export function closest(id: string, known: readonly string[]): string | undefined {
  return closestName(id, known, Math.max(2, Math.floor(id.length / 3)));
}
