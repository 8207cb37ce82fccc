// Page context at run time, from plain data: what a block takes from the page's scope and gives to the blocks after
// it. The syntax it needs (`CarrySyntax`: each block's top-level bindings and references) is read by
// src/context/carry.ts with the compiler's parser on the main thread, which has the compiler loaded anyway, and
// crosses into the run stage's worker thread as data, so that thread never loads the compiler. No compiler here.
import type { CodeBlock } from "../types.js";

/** One top-level statement of a block that binds names (what carrying needs of it). */
export interface CarriedStatement {
  /** Names it binds at the top level. */
  declares: string[];
  /** Of those, the names that exist at run time (not types, not ambient). */
  values: string[];
  /** Identifiers it refers to. */
  refs: string[];
  /** An `import … from "x"` declaration: its specifier and attributes as written, and the names it imports. */
  import?: { from: string; attributes?: string; names: { local: string; imported: string; typeOnly: boolean }[] };
}

/** The top-level syntax of one block that page context needs (src/context/carry.ts `carrySyntax`). */
export interface CarrySyntax {
  /** Block offset at which a prelude goes: after a shebang and leading pragma comments, at a line start. */
  insertAt: number;
  declares: string[];
  values: string[];
  refs: string[];
  statements: CarriedStatement[];
}

/** What a block takes from the page's scope when it runs, and what it gives to the blocks after it. */
export interface RunCarry {
  /** One-line import statements for carried imported names (imports are idempotent: the module runs once). */
  imports: string[];
  /** Carried value names taken from the page's scope, name → id of the block that declares it. */
  take: Map<string, string>;
  /** Names this block gives to later blocks: its own top-level values and what it took. */
  give: string[];
  /** Block offset at which the one-line run prelude goes. */
  insertAt: number;
}

/** A statement as selection sees it (carry.ts adds its node; here it is CarriedStatement). */
interface Selectable {
  declares: readonly string[];
  refs: Iterable<string>;
}

/**
 * The statements of the seen blocks (each block's statements in order, blocks in page order) that a reader carries:
 * those declaring a name it uses (that it does not declare itself), and what they use in turn, in page order.
 * `used`: carried names the reader uses → the declaring statement; `visible`: name → its latest declaration.
 */
export function selectCarried<S extends Selectable>(
  own: { declares: ReadonlySet<string>; refs: Iterable<string> },
  seen: readonly (readonly S[])[],
): { statements: S[]; used: Map<string, S>; visible: Map<string, S> } {
  const visible = new Map<string, S>();
  const place = new Map<S, number>();
  seen.forEach((statements, b) =>
    statements.forEach((s, i) => {
      place.set(s, b * 1e6 + i);
      for (const name of s.declares) visible.set(name, s);
    }),
  );
  const included = new Set<S>();
  const used = new Map<string, S>();
  const queue = [...own.refs].filter((n) => !own.declares.has(n));
  for (const n of queue) {
    const s = visible.get(n);
    if (s && !used.has(n)) used.set(n, s);
  }
  while (queue.length > 0) {
    const name = queue.pop()!;
    const s = visible.get(name);
    if (!s || included.has(s)) continue;
    included.add(s);
    for (const r of s.refs) if (!own.declares.has(r) && !s.declares.includes(r)) queue.push(r);
  }
  const statements = [...included].sort((a, b) => place.get(a)! - place.get(b)!);
  return { statements, used, visible };
}

/** The run-time carry of `reader`; `seen` are the blocks it sees that run before it in the same process. */
export function runCarry(reader: CodeBlock, seen: readonly CodeBlock[], syntaxOf: (block: CodeBlock) => CarrySyntax): RunCarry {
  const own = syntaxOf(reader);
  const imports: string[] = [];
  const take = new Map<string, string>();
  if (seen.length > 0) {
    const { used } = selectCarried({ declares: new Set(own.declares), refs: own.refs }, seen.map((b) => syntaxOf(b).statements));
    const blockOf = new Map(seen.flatMap((b) => syntaxOf(b).statements.map((s) => [s, b.id] as const)));
    for (const [name, s] of used) {
      if (s.import) {
        const i = s.import.names.find((x) => x.local === name);
        if (!i || i.typeOnly) continue;
        const attributes = s.import.attributes ? ` ${s.import.attributes}` : "";
        const clause = i.imported === "default" ? name : i.imported === "*" ? `* as ${name}` : `{ ${i.imported === name ? name : `${i.imported} as ${name}`} }`;
        imports.push(`import ${clause} from ${s.import.from}${attributes};`);
      } else if (s.values.includes(name)) {
        take.set(name, blockOf.get(s)!);
      }
    }
  }
  const give = [...new Set([...own.values, ...take.keys()])];
  return { imports, take, give, insertAt: own.insertAt };
}
