// The built-in rules: an explicit map, so the set of rules is visible here and no directory is globbed at run time.
// Each rule has docs/rules/<id>.md and test/rules/<id>.test.ts (checked by test/lint/registry.test.ts).
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AnyRule } from "../src/lint/types.js";
import { PACKAGE_ROOT } from "../src/version.js";
import noBannedApi from "./no-banned-api.js";
import noDeprecated from "./no-deprecated.js";
import noFloatingPromise from "./no-floating-promise.js";
import noInitInstrumentors from "./no-init-instrumentors.js";

const rules: AnyRule[] = [noInitInstrumentors, noBannedApi, noDeprecated, noFloatingPromise] as AnyRule[];

/** docs/rules/<id>.md of this package, where every built-in rule's findings link (`finding.url`). */
export function builtinRuleDocUrl(id: string): string {
  return pathToFileURL(path.join(PACKAGE_ROOT, "docs", "rules", `${id}.md`)).href;
}

export const builtinRules: Readonly<Record<string, AnyRule>> = Object.freeze(
  Object.fromEntries(
    rules.map((rule) => [rule.id, { ...rule, meta: { ...rule.meta, docs: { url: rule.meta.docs?.url ?? builtinRuleDocUrl(rule.id) } } }]),
  ),
);
