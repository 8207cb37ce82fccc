// Validators for the CI formats, against the schemas in test/fixtures/schemas (see its README).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type * as AjvModule from "ajv-draft-04";
import type * as FormatsModule from "ajv-formats";
import { validateXML } from "xmllint-wasm";
import { REPO } from "../helpers.js";

const SCHEMAS = path.join(REPO, "test/fixtures/schemas");

/** libxml2's schema errors for a JUnit report; [] when valid. */
export async function junitErrors(xml: string): Promise<string[]> {
  const r = await validateXML({
    xml: [{ fileName: "junit.xml", contents: xml }],
    schema: [{ fileName: "junit.xsd", contents: fs.readFileSync(path.join(SCHEMAS, "junit.xsd"), "utf8") }],
  });
  return r.errors.map((e) => e.rawMessage);
}

// Both are CommonJS whose module.exports is the default export.
const require = createRequire(import.meta.url);
const Ajv = require("ajv-draft-04") as typeof AjvModule.default.default;
const addFormats = require("ajv-formats") as typeof FormatsModule.default.default;

// The schema has a `language` pattern that is invalid with the u flag, hence unicodeRegExp: false.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const sarif = ajv.compile(JSON.parse(fs.readFileSync(path.join(SCHEMAS, "sarif-2.1.0-rtm.5.json"), "utf8")));

/** ajv's errors for a SARIF log; [] when valid. */
export function sarifErrors(log: unknown): unknown[] {
  return sarif(log) ? [] : [...(sarif.errors ?? [])];
}
