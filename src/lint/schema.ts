// A deliberately small JSON-Schema subset for rule options: enough to catch typos and wrong types with a
// message naming the option, without a validator dependency.
import type { OptionSchema } from "./types.js";

/** Returns the first problem as `"<path>: <what is wrong>"`, or undefined when the value fits. */
export function checkOptions(value: unknown, schema: OptionSchema, path = "options"): string | undefined {
  if (schema.enum && !schema.enum.includes(value as string | number | boolean)) {
    return `${path}: expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}, got ${show(value)}`;
  }
  switch (schema.type) {
    case undefined:
      return undefined;
    case "string":
      if (typeof value !== "string") return `${path}: expected a string, got ${show(value)}`;
      if (schema.minLength !== undefined && value.length < schema.minLength) return `${path}: must not be empty`;
      return undefined;
    case "number":
    case "integer":
      if (typeof value !== "number" || Number.isNaN(value)) return `${path}: expected a number, got ${show(value)}`;
      if (schema.type === "integer" && !Number.isInteger(value)) return `${path}: expected an integer, got ${value}`;
      return undefined;
    case "boolean":
      return typeof value === "boolean" ? undefined : `${path}: expected true or false, got ${show(value)}`;
    case "array": {
      if (!Array.isArray(value)) return `${path}: expected an array, got ${show(value)}`;
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        return `${path}: expected at least ${schema.minItems} item(s)`;
      }
      if (!schema.items) return undefined;
      for (let i = 0; i < value.length; i++) {
        const problem = checkOptions(value[i], schema.items, `${path}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return `${path}: expected an object, got ${show(value)}`;
      }
      const record = value as Record<string, unknown>;
      for (const key of schema.required ?? []) {
        if (record[key] === undefined) return `${path}.${key}: is required`;
      }
      const props = schema.properties ?? {};
      for (const [key, item] of Object.entries(record)) {
        const sub = props[key];
        if (!sub) {
          if (schema.additionalProperties) continue;
          const known = Object.keys(props);
          return `${path}.${key}: unknown option${known.length ? ` (known: ${known.join(", ")})` : ""}`;
        }
        if (item === undefined) continue;
        const problem = checkOptions(item, sub, `${path}.${key}`);
        if (problem) return problem;
      }
      return undefined;
    }
  }
}

function show(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Freezes a plain value graph so rules cannot mutate options shared across blocks. */
export { deepFreeze } from "../util/freeze.js";
