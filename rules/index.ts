// The built-in rules: an explicit map, so the set of rules is visible here and no directory is globbed at run time.
// Each rule has docs/rules/<id>.md and test/rules/<id>.test.ts (checked by test/lint/registry.test.ts).
import type { AnyRule } from "../src/lint/types.js";
import noBannedApi from "./no-banned-api.js";
import noDeprecated from "./no-deprecated.js";
import noFloatingPromise from "./no-floating-promise.js";
import noInitInstrumentors from "./no-init-instrumentors.js";

export const builtinRules: Readonly<Record<string, AnyRule>> = Object.freeze({
  [noInitInstrumentors.id]: noInitInstrumentors as AnyRule,
  [noBannedApi.id]: noBannedApi as AnyRule,
  [noDeprecated.id]: noDeprecated as AnyRule,
  [noFloatingPromise.id]: noFloatingPromise as AnyRule,
});
