// Declaration files parsed without their JSDoc (src/typecheck/lazy-jsdoc.ts): the tool's own rules see the same
// JSDoc as with a full parse. Real lib files, a real package's .d.ts in node_modules, the real rule.
import path from "node:path";
import { describe, expect, it } from "vitest";
import ts from "../../src/typescript.cjs";
import { extract } from "../../src/extract/index.js";
import { lint } from "../../src/lint/index.js";
import { createBlockProgram } from "../../src/typecheck/program.js";
import { makeProject, readPage } from "../helpers.js";

// The first statement starts the file (its JSDoc comes before any line break); inherited tags: a member with no
// JSDoc takes its base's @deprecated, one with tags of its own does not; a class's static and instance members.
const SDK = `/** @deprecated Use \`start\` instead. */
export declare function begin(): void;
export declare function start(): void;
export interface Base {
  /** @deprecated Use \`b\`. */
  a(): void;
  b(): void;
}
/** A derived API. */
export interface Derived extends Base {
  a(): void;
}
export interface Documented extends Base {
  /** @param n how many. */
  a(n?: number): void;
}
export declare class Client {
  /** @deprecated Pass options to {@link Client}'s constructor. */
  configure(): void;
  /** @deprecated */
  static legacy: number;
}
export declare const derived: Derived, documented: Documented, client: Client;
`;

const PAGE = `# Legacy

\`\`\`ts
import { begin, start, derived, documented, client, Client } from "legacy-sdk";
begin();
start();
derived.a();
derived.b();
documented.a();
client.configure();
void Client.legacy;
void "abc".substr(1);
void escape("x");
const re = /a/;
re.compile("b");
\`\`\`
`;

describe("JSDoc of declaration files, parsed on demand", () => {
  it("gives no-deprecated the same findings as a full parse, for lib files and a package's typings", () => {
    const root = makeProject({
      "package.json": JSON.stringify({ name: "app", type: "module" }),
      "tsconfig.json": JSON.stringify({ compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, lib: ["ES2022"], types: [] } }),
      "node_modules/legacy-sdk/package.json": JSON.stringify({ name: "legacy-sdk", version: "1.0.0", types: "index.d.ts" }),
      "node_modules/legacy-sdk/index.d.ts": SDK,
      "docs/legacy.md": PAGE,
    });
    const { blocks } = extract(readPage(root, "docs/legacy.md"));
    const findingsOf = (lazyJsDoc: boolean) => {
      const bp = createBlockProgram(blocks, { root, tsconfig: path.join(root, "tsconfig.json"), checkJs: false, lazyJsDoc });
      const es5 = bp.program.getSourceFiles().find((f) => f.fileName.endsWith("/lib.es5.d.ts"))!;
      const sdk = bp.program.getSourceFiles().find((f) => f.fileName.endsWith("/legacy-sdk/index.d.ts"))!;
      // Parsed as asked: without JSDoc when lazy (the rule puts in place what it reads), with it otherwise.
      const mode = lazyJsDoc ? ts.JSDocParsingMode.ParseNone : ts.JSDocParsingMode.ParseAll;
      for (const file of [es5, sdk]) expect((file as { jsDocParsingMode?: ts.JSDocParsingMode }).jsDocParsingMode ?? ts.JSDocParsingMode.ParseAll).toBe(mode);
      return lint(bp, blocks, { rules: { "no-deprecated": "warn" }, plugins: {}, bannedApis: [] }).findings;
    };
    const lazy = findingsOf(true);
    expect(lazy).toEqual(findingsOf(false));
    const flagged = lazy.filter((f) => f.ruleId === "no-deprecated").map((f) => `${f.place.start.line}: ${f.message.replace(/ Readers copy.*/, "")}`);
    expect(flagged).toEqual([
      "5: `begin` is deprecated: Use `start` instead.",
      "7: `Derived.a` is deprecated: Use `b`.",
      "10: `Client.configure` is deprecated: Pass options to {@link Client}'s constructor.",
      "11: `Client.legacy` is deprecated (its @deprecated tag gives no reason).",
      "12: `String.substr` is deprecated: A legacy feature for browser compatibility.",
      "13: `escape` is deprecated: A legacy feature for browser compatibility.",
      "15: `RegExp.compile` is deprecated: A legacy feature for browser compatibility.",
    ]);
  });
});
