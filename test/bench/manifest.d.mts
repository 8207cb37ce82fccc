// Types of test/bench/manifest.mjs (plain JavaScript, so that `npm run bench` runs without a build).

/** One TS fence of a generated corpus (test/bench/make-corpus.mjs; ../shared/bench/make-corpus.mjs has no `mistake` and `throws`). */
export interface ManifestRow {
  page: string;
  /** 1-based index among the page's TS fences. */
  index: number;
  /** 1-based line of the block's first code line. */
  line: number;
  fence: string;
  template: string;
  /** The deliberate mistake; null in a clean or banned block. */
  mistake?: string | null;
  /** TypeScript 6's code of the block's one type error, or null. */
  expectTypeError: number | null;
  errorNote?: string;
  /** Whether running the block throws. */
  throws?: boolean;
  /** Whether it uses the banned `Tracer.init({ apiKey, instrumentors })` pattern. */
  banned: boolean;
}

/** The part of validate-docs' index.json the comparison reads. */
export interface ReportIndex {
  pages: {
    page: string;
    blocks: { id: string }[];
    findings: { ruleId: string; severity: string; stage: string; blockId?: string; message: string }[];
  }[];
}

export interface Stages {
  lint?: boolean;
  run?: boolean;
}

export function expectThrows(row: ManifestRow): boolean;
export function expectedErrors(manifest: readonly ManifestRow[], stages?: Stages): number;
export function checkReport(index: ReportIndex, manifest: readonly ManifestRow[], stages?: Stages): string[];
