// Progress for long runs on a terminal: one line on stderr, redrawn in place (stage, pages run / total, elapsed).
// Silent when stderr is not a TTY (piped, redirected), under CI=true and with --quiet, so logs and pipes stay clean.
// The checker runs synchronously on the main thread, so the line is redrawn at each stage change and, while the
// event loop is free, on a timer and as each page's process finishes.

export interface Progress {
  /** A stage starts (`discover`, `extract`, `program`, `typecheck`, `lint`, `run` …). */
  stage(name: string): void;
  /** Pages the run stage will run. */
  pages(total: number): void;
  /** One page's examples finished. */
  pageDone(): void;
  /** The run is over: the line is removed. */
  done(): void;
}

export function progressEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, quiet: boolean): boolean {
  const ci = env.CI !== undefined && env.CI !== "" && env.CI !== "false" && env.CI !== "0";
  return Boolean(stream.isTTY) && !ci && !quiet;
}

export function createProgress(stream: NodeJS.WritableStream & { columns?: number }, now: () => number = () => performance.now()): Progress {
  const started = now();
  let stage = "starting";
  let total = 0;
  let finished = 0;
  let shown = false;
  const draw = () => {
    const secs = ((now() - started) / 1000).toFixed(1);
    const pages = total ? ` · ${finished}/${total} page${total === 1 ? "" : "s"} run` : "";
    const line = `validate-docs: ${stage}${pages} · ${secs} s`;
    // A pseudo-terminal may report 0 columns.
    const width = stream.columns && stream.columns > 20 ? stream.columns : 80;
    stream.write(`\r\u001b[2K${line.length >= width ? line.slice(0, width - 1) : line}`);
    shown = true;
  };
  const timer = setInterval(draw, 250);
  timer.unref();
  return {
    stage(name) {
      stage = name;
      draw();
    },
    pages(n) {
      total = n;
      draw();
    },
    pageDone() {
      finished++;
      draw();
    },
    done() {
      clearInterval(timer);
      if (shown) stream.write("\r\u001b[2K");
      shown = false;
    },
  };
}

/** A progress that shows nothing (not a terminal, CI, --quiet). */
export const noProgress: Progress = { stage() {}, pages() {}, pageDone() {}, done() {} };
