// A comment that documents a throw on its line (`foo(1) //=> ArgumentError`, `bar() // throws TypeError`) is an
// expected throw, checked like `expect-throw` with that name: the block must throw it.
/** `code // => TypeError`, `code // throws a TypeError`, `code // throws: RangeError (…)`. */
const DOCUMENTED_THROW = /^(?!\s*\/\/).*\S\s*\/\/\s*(?:=>|throws?:?)\s*(?:an?\s+)?`?([A-Z]\w*(?:Error|Exception))\b`?/;

export interface DocumentedThrow {
  /** The error's name, matched against `String(error)` like `expect-throw="…"`. */
  name: string;
  /** Block-local 1-based line of the comment. */
  line: number;
}

/** The first documented throw in a block, if any. */
export function documentedThrow(code: string): DocumentedThrow | undefined {
  const lines = code.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = DOCUMENTED_THROW.exec(lines[i]!);
    if (m) return { name: m[1]!, line: i + 1 };
  }
  return undefined;
}

/** `// => TypeError` names an error, not a value: value assertions leave it to the documented-throw check. */
export function namesError(expected: string): boolean {
  return /^`?[A-Z]\w*(?:Error|Exception)\b`?/.test(expected.trim());
}
