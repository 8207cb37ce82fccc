// Types of what test/bench/make-corpus.mjs exports (it is a script first: `node test/bench/make-corpus.mjs --help`).

/** One deliberate mistake of a template: TypeScript 6's error code (null: it type-checks) and whether the block throws when run. */
export interface Mistake {
  code: number | null;
  throws: boolean;
  note: string;
}

/** Every template's mistakes: template → mistake id → what it causes. */
export const CATALOG: Readonly<Record<string, Readonly<Record<string, Mistake>>>>;
