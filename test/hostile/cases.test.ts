// The hostile-input and fault suite (issue 18), through the real CLI in a subprocess. Each case is a page (or a
// project) with its expected verdict; every CLI run is also checked for processes left in the process table,
// reports that are valid JSON (or absent), and an exit code that is never 0 when something failed.
// Cases share a few temp projects (one CLI run proves many pages) and the projects run side by side.
// The case list and verdicts are documented in docs/security.md; keep the two in step.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { isAlive, makeProject, TSCONFIG } from "../helpers.js";
import { cli, expectNoLeftovers, expectValidReports, fence, type Index, pageOf, readIndex, ruleIds, type Run, sleep, startCli, waitForFile } from "./helpers.js";

const base = { "package.json": JSON.stringify({ name: "hostile", type: "module" }), "tsconfig.json": TSCONFIG };
const SECRET = "hunter2-Zq8v7w6x5y4";

/**
 * One paragraph of 5 MB (81-character lines, no blank line): issue 18's case, "a single 5 MB paragraph" (the Markdown
 * parser took ≈ 190 s on it before the guard of src/extract/parse.ts broke up long runs of prose in pages past 256 KB).
 * Kept at that size although nothing here times the parse and ≈ 4.6 s of the parser run's CPU is this page: it is the
 * scale the hostile suite promises in docs/security.md (320 KB, which also passes through the guard, parsed in 0.6 s
 * of CPU, and 512 KB in 2.1 s without the guard). Ordinary words: "word word …" made every word start GFM's
 * www-autolink check, not the case. The suite's one large page through the CLI (bad-input.test's was one of short
 * paragraphs: scanned, none blanked).
 */
const PARAGRAPH = "Each example in these docs is checked, then run in a fresh process of its own.  \n".repeat(Math.ceil((5 * 1024 * 1024) / 81));

/** Findings of a page as "ruleId@line". */
const verdict = (index: Index, page: string): string[] => pageOf(index, page).findings.map((f) => `${f.ruleId}@${f.place.start.line}`);

describe.concurrent("examples that misbehave (run stage, sandbox on)", () => {
  let dir: string;
  let run: Run;
  let index: Index;
  let everything: string;
  beforeAll(async () => {
    dir = makeProject({
      ...base,
      "validate-docs.config.json": JSON.stringify({ memoryLimit: 96, passEnv: ["MY_SECRET_TOKEN"] }),
      // 300 ms: the sync loop burns a core until its timeout.
      "docs/sync-loop.md": fence("ts timeout=300ms", "while (true) {}") + fence("ts", "console.log('after');"),
      "docs/async-loop.md": fence("ts timeout=300ms", "await new Promise(() => setInterval(() => {}, 50));"),
      "docs/exit0.md": fence("ts", "console.log('a');") + fence("ts", "process.exit(0);") + fence("ts", "console.log('never');"),
      "docs/self-kill.md": fence("ts", "process.kill(process.pid, 'SIGKILL');") + fence("ts", "console.log('never');"),
      "docs/memory.md": fence("ts", "const hog: number[][] = [];\nwhile (true) hog.push(new Array(1e6).fill(1));"),
      "docs/output-100mb.md":
        fence("ts", "const chunk = 'y'.repeat(1024 * 1024);\nfor (let i = 0; i < 100; i++) process.stdout.write(chunk);") +
        fence("ts", "console.log('still running');") +
        "```output\nstill running\n```\n",
      "docs/late-rejection.md": fence("ts", "setTimeout(() => { Promise.reject(new Error('late')); }, 10);"),
      "docs/silenced.md": fence(
        "ts",
        "console.log = () => {};\nconsole.error = () => {};\nprocess.stdout.write = (() => true) as typeof process.stdout.write;\nthrow new Error('still seen');",
      ),
      "docs/circular.md": fence("ts", "const o: { self?: unknown } = {};\no.self = o;\nthrow o;"),
      "docs/symbol.md": fence("ts", "throw Symbol('odd');"),
      "docs/undefined.md": fence("ts", "throw undefined;"),
      "docs/secret.md":
        fence("ts", "console.log(`token=${process.env.MY_SECRET_TOKEN}`);") +
        "```output\ntoken=placeholder\n```\n" +
        fence("ts", "process.env.MY_SECRET_TOKEN; // => 'placeholder'") +
        fence("ts", "throw new Error(`bad token ${process.env.MY_SECRET_TOKEN}`);"),
      "docs/write-outside.md": fence("ts", "import fs from 'node:fs';\nfs.writeFileSync(process.env.HOME + '/.validate-docs-hostile', 'x');"),
      "docs/read-outside.md": fence("ts", "import fs from 'node:fs';\nfs.readFileSync('/etc/passwd', 'utf8');"),
      "docs/spawn.md": fence("ts", "import { execSync } from 'node:child_process';\nexecSync('id');"),
      "docs/caught-denials.md":
        fence("ts", "import fs from 'node:fs';\ntry { fs.writeFileSync(process.env.HOME + '/.validate-docs-caught', 'x'); } catch {}\nconsole.log('went on');") +
        fence("ts", "import { writeFile } from 'node:fs/promises';\nawait writeFile(process.env.HOME + '/.validate-docs-caught-async', 'x').catch(() => {});") +
        fence("ts", "import { execSync } from 'node:child_process';\ntry { execSync('id'); } catch {}") +
        fence("ts", "import fs from 'node:fs';\nlet probed = 'absent';\ntry { probed = fs.readFileSync('/etc/passwd', 'utf8'); } catch {}"),
      "docs/spawn-allowed.md":
        fence('ts sandbox="child-process"', "import { execSync } from 'node:child_process';\nconsole.log(String(execSync('echo hi')).trim());") +
        "```output\nhi\n```\n" +
        fence("ts", "import { execSync } from 'node:child_process';\nconsole.log(String(execSync('echo again')).trim());"),
      "docs/sandbox-typo.md": fence("ts sandbox=network", "console.log(1);"),
      "docs/temp-write.md": fence("ts", "import fs from 'node:fs';\nimport os from 'node:os';\nfs.writeFileSync('here.txt', 'ok');\nfs.writeFileSync(os.tmpdir() + '/there.txt', 'ok');"),
      "docs/network.md": fence("ts", "await fetch('https://api.example.com/v1');"),
      "docs/good.md": fence("ts", "const n: number = 2;\nconsole.log(n * 2);") + "```output\n4\n```\n",
    });
    run = await cli(["--no-typecheck", "--no-lint", "--concurrency", "2"], dir, { MY_SECRET_TOKEN: SECRET });
    index = readIndex(path.join(dir, "reports"));
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else files.push(fs.readFileSync(path.join(d, e.name), "utf8"));
      }
    };
    walk(path.join(dir, "reports"));
    everything = [run.stdout, run.stderr, ...files].join("\n");
  });

  it("exit 1, reports valid, nothing left running", async () => {
    expect(run.code).toBe(1);
    expect(expectValidReports(path.join(dir, "reports"))).toBeGreaterThan(10);
    await expectNoLeftovers(run.pid, dir);
  });
  it("sync infinite loop: run/timeout; the next block runs on in a fresh process (never a silent pass of the loop)", () => {
    expect(verdict(index, "docs/sync-loop.md")).toEqual(["run/timeout@1"]);
    expect(pageOf(index, "docs/sync-loop.md").blocks.map((b) => `${b.status} ${b.checks.includes("run")}`)).toEqual(["failed true", "passed true"]);
  });
  it("async infinite loop: run/timeout", () => {
    expect(verdict(index, "docs/async-loop.md")).toEqual(["run/timeout@1"]);
  });
  it("process.exit(0) mid-page: run/exit at the call (never a silent pass); later blocks run on in a fresh process", () => {
    expect(verdict(index, "docs/exit0.md")).toEqual(["run/exit@5"]);
    expect(pageOf(index, "docs/exit0.md").blocks.map((b) => b.status)).toEqual(["passed", "failed", "passed"]);
  });
  it("self-SIGKILL: run/crash naming the signal; the later block runs on in a fresh process", () => {
    expect(verdict(index, "docs/self-kill.md")).toEqual(["run/crash@1"]);
    expect(pageOf(index, "docs/self-kill.md").findings[0]!.message).toContain("SIGKILL");
    expect(pageOf(index, "docs/self-kill.md").blocks[1]!.status).toBe("passed");
  });
  it("memory bomb: capped, run/crash out of memory; other pages unaffected", () => {
    expect(verdict(index, "docs/memory.md")).toEqual(["run/crash@1"]);
    expect(pageOf(index, "docs/memory.md").findings[0]!.message).toContain("ran out of memory");
    expect(verdict(index, "docs/good.md")).toEqual([]);
  });
  it("100 MB of output: captured up to the limit, never forwarded, the page passes", () => {
    expect(verdict(index, "docs/output-100mb.md")).toEqual([]);
    expect(run.stdout.length).toBeLessThan(200_000);
  });
  it("an unhandled rejection after the last block: run/unhandled-rejection", () => {
    expect(verdict(index, "docs/late-rejection.md")).toEqual(["run/unhandled-rejection@2"]);
  });
  it("a block that replaces console and process.stdout.write: its throw is still reported", () => {
    expect(verdict(index, "docs/silenced.md")).toEqual(["run/threw@5"]);
    expect(pageOf(index, "docs/silenced.md").findings[0]!.message).toContain("still seen");
  });
  it("throwing a circular object, a symbol, undefined: run/threw with a readable text", () => {
    expect(verdict(index, "docs/circular.md")).toEqual(["run/threw@1"]);
    expect(pageOf(index, "docs/circular.md").findings[0]!.message).toMatch(/Circular|ref \*1/);
    expect(verdict(index, "docs/symbol.md")).toEqual(["run/threw@1"]);
    expect(pageOf(index, "docs/symbol.md").findings[0]!.message).toContain("Symbol(odd)");
    expect(verdict(index, "docs/undefined.md")).toEqual(["run/threw@1"]);
    expect(pageOf(index, "docs/undefined.md").findings[0]!.message).toContain("undefined");
  });
  it("a secret read from process.env: masked in console, JSON and Markdown reports, diffs, fix text and messages", () => {
    expect(ruleIds(pageOf(index, "docs/secret.md"))).toEqual(["run/output-mismatch", "run/output-mismatch", "run/threw"]);
    expect(everything).toContain("token=***");
    expect(everything).not.toContain(SECRET.slice(0, 6));
  });
  it("sandbox: writing outside the page's temp dir, reading outside the project, spawning: run/permission naming what", () => {
    const write = pageOf(index, "docs/write-outside.md").findings;
    expect(write.map((f) => f.ruleId)).toEqual(["run/permission"]);
    expect(write[0]!.message).toContain("tried to write");
    expect(write[0]!.message).toContain(".validate-docs-hostile");
    expect(fs.existsSync(path.join(process.env.HOME ?? "/root", ".validate-docs-hostile"))).toBe(false);
    expect(pageOf(index, "docs/read-outside.md").findings.map((f) => f.message)).toEqual([expect.stringContaining("tried to read /etc/passwd")]);
    expect(pageOf(index, "docs/spawn.md").findings.map((f) => f.message)).toEqual([expect.stringContaining("tried to start a child process")]);
  });
  it("sandbox: a denial the example catches is still reported (a warning at the calling line); a caught read probe is not", () => {
    const found = pageOf(index, "docs/caught-denials.md").findings;
    expect(found.map((f) => `${f.ruleId}:${f.severity}@${f.place.start.line}`)).toEqual(["run/permission:warning@3", "run/permission:warning@8", "run/permission:warning@12"]);
    expect(found[0]!.message).toContain("caught the error and went on");
    expect(found[0]!.message).toContain(".validate-docs-caught (fs.writeFileSync)");
    expect(found[1]!.message).toContain(".validate-docs-caught-async (fs.promises.writeFile)");
    expect(found[2]!.message).toContain("start a child process");
    expect(fs.existsSync(path.join(process.env.HOME ?? "/root", ".validate-docs-caught"))).toBe(false);
  });
  it("sandbox: a block's `sandbox` attribute allows child processes for its page's process only; a bad value is named", () => {
    expect(verdict(index, "docs/spawn-allowed.md")).toEqual([]);
    expect(pageOf(index, "docs/spawn.md").findings[0]!.message).toContain('sandbox="child-process"');
    const typo = pageOf(index, "docs/sandbox-typo.md").findings;
    expect(typo.map((f) => `${f.ruleId}:${f.severity}`)).toEqual(["extract/bad-attribute:error"]);
    expect(typo[0]!.message).toContain("child-process");
  });
  it("sandbox: the page's temp dir (cwd and os.tmpdir()) is writable", () => {
    expect(verdict(index, "docs/temp-write.md")).toEqual([]);
  });
  it("network: run/network (a warning) at the calling line", () => {
    expect(verdict(index, "docs/network.md")).toEqual(["run/network@2"]);
    expect(pageOf(index, "docs/network.md").findings[0]!.severity).toBe("warning");
  });
});

describe.concurrent("processes an example starts (sandbox allows child processes)", () => {
  it("long-lived, detached and setsid grandchildren: none left after the run; the page passes", async () => {
    const dir = makeProject({
      ...base,
      "docs/children.md": fence(
        "ts",
        [
          "import { spawn } from 'node:child_process';",
          "import fs from 'node:fs';",
          "import path from 'node:path';",
          "const forever = ['-e', 'setInterval(() => {}, 1000)'];",
          "const child = spawn(process.execPath, forever, { stdio: 'ignore' });",
          "const daemon = spawn(process.execPath, forever, { stdio: 'ignore', detached: true });",
          "const escaper = spawn('sh', ['-c', 'setsid sleep 300 >/dev/null 2>&1 & echo $!'], { stdio: ['ignore', 'pipe', 'ignore'] });",
          "let out = '';",
          "escaper.stdout!.on('data', (d) => (out += d));",
          "await new Promise((r) => escaper.on('close', r));",
          "child.unref();",
          "daemon.unref();",
          "fs.writeFileSync(path.join(process.env.PIDS!, 'pids.txt'), `${child.pid} ${daemon.pid} ${out.trim()}`);",
        ].join("\n"),
      ),
    });
    const pids = path.join(dir, "pids");
    fs.mkdirSync(pids);
    fs.writeFileSync(path.join(dir, "validate-docs.config.json"), JSON.stringify({ env: { PIDS: pids }, sandbox: { childProcess: true, write: ["pids"] } }));
    const r = await cli(["--no-typecheck", "--no-lint"], dir);
    expect(r.code).toBe(0);
    const started = fs.readFileSync(path.join(pids, "pids.txt"), "utf8").trim().split(/\s+/).map(Number);
    expect(started).toHaveLength(3);
    await expectNoLeftovers(r.pid, dir);
    expect(started.filter(isAlive)).toEqual([]);
  });
});

describe.concurrent("Markdown that is not what a parser expects", () => {
  let dir: string;
  let run: Run;
  let index: Index;
  beforeAll(async () => {
    dir = makeProject({
      ...base,
      "docs/empty.md": "",
      "docs/bom-only.md": "\uFEFF",
      "docs/binary.md": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
      "docs/nul.md": "# Title\n\nsome\u0000text\n\n" + fence("ts", "const a = 1;"),
      "docs/crlf.md": ("# CRLF\n\n" + fence("ts", "const a: number = 'x';")).replace(/\n/g, "\r\n"),
      "docs/unterminated.md": "# Open\n\n```ts\nconst a = 1;\n",
      "docs/html.md": "<div>\n\n```ts\nconst inHtml: number = 'no';\n```\n\n</div>\n",
      "docs/deep-lists.md": "- ".repeat(10_000) + "a\n\n" + fence("ts", "const a = 1;"),
      "docs/deep-quotes.md": "> ".repeat(10_000) + "a\n\n" + fence("ts", "const a = 1;"),
      "docs/deep-indent.md": Array.from({ length: 300 }, (_, i) => "  ".repeat(i) + "- a").join("\n") + "\n",
      "docs/paragraph.md": PARAGRAPH + "\n" + fence("ts", "const late: number = 'x';"),
      "docs/fine.md": fence("ts", "const ok: number = 1;"),
      // Too deep for the compiler, not for the Markdown parser.
      "docs/deep-block.md": fence("ts", `const x = ${"[".repeat(5000)}${"]".repeat(5000)};\nconsole.log(x.length);`),
    });
    // A symlink loop in the docs tree, and a file name that is not UTF-8.
    fs.symlinkSync(path.join(dir, "docs"), path.join(dir, "docs/loop"), "dir");
    fs.writeFileSync(Buffer.concat([Buffer.from(path.join(dir, "docs", "caf")), Buffer.from([0xe9]), Buffer.from(".md")]), fence("ts", "const latin: number = 'x';"));
    run = await cli(["--no-run", "--reporter", "json"], dir);
    index = readIndex(path.join(dir, "reports"));
  });

  it("exit 1 (the pages with errors), reports valid, nothing left running", async () => {
    expect(run.code).toBe(1);
    expectValidReports(path.join(dir, "reports"));
    await expectNoLeftovers(run.pid, dir);
  });
  it("empty and BOM-only pages: no blocks, no findings", () => {
    expect(verdict(index, "docs/empty.md")).toEqual([]);
    expect(verdict(index, "docs/bom-only.md")).toEqual([]);
  });
  it("a binary page and a page with NUL bytes: extract/binary-file, not a crash", () => {
    expect(ruleIds(pageOf(index, "docs/binary.md"))).toEqual(["extract/binary-file"]);
    expect(ruleIds(pageOf(index, "docs/nul.md"))).toEqual(["extract/binary-file"]);
  });
  it("CRLF: the finding is at the right line", () => {
    expect(verdict(index, "docs/crlf.md")).toEqual(["ts2322@4"]);
  });
  it("an unterminated fence: extract/unterminated-fence", () => {
    expect(ruleIds(pageOf(index, "docs/unterminated.md"))).toContain("extract/unterminated-fence");
  });
  it("a fence inside an HTML block is checked", () => {
    expect(verdict(index, "docs/html.md")).toEqual(["ts2322@4"]);
  });
  it("10,000 levels of lists or quotes, 300 levels of indentation: a clear parse error, fast, not a hang or a lost run", () => {
    for (const page of ["docs/deep-lists.md", "docs/deep-quotes.md", "docs/deep-indent.md"]) {
      const p = pageOf(index, page);
      expect(p.findings.map((f) => f.ruleId), page).toEqual(["extract/parse-error"]);
      expect(p.findings[0]!.message).toContain("nested");
    }
  });
  it("a block nested 5,000 deep gets typecheck/crash; the other pages keep their results", () => {
    const deep = pageOf(index, "docs/deep-block.md").findings;
    expect(deep.map((f) => f.ruleId)).toContain("typecheck/crash");
    expect(deep.find((f) => f.ruleId === "typecheck/crash")!.message).toContain("nested too deeply");
    // The other pages' type errors are still found, each at its line (the CRLF, HTML and long-paragraph tests).
    expect(verdict(index, "docs/fine.md")).toEqual([]);
    expect(verdict(index, "docs/crlf.md")).toEqual(["ts2322@4"]);
  });
  it("a single 5 MB paragraph is parsed (broken up, offsets kept): the block after it is checked at its line", () => {
    const lines = PARAGRAPH.split("\n").length;
    expect(verdict(index, "docs/paragraph.md")).toEqual([`ts2322@${lines + 2}`]);
  });
  it("a symlink loop in the docs tree and a non-UTF-8 file name: no hang; the latin-1 name is an error finding, never skipped", () => {
    expect(index.pages.some((p) => p.page.startsWith("docs/loop/"))).toBe(false);
    expect(verdict(index, "docs/fine.md")).toEqual([]);
    const latin = index.pages.filter((p) => p.page.startsWith("docs/caf"));
    // The glob library decodes the name lossily, so the file cannot be read back: a clear error naming the cause.
    expect(latin.map((p) => p.findings.map((f) => `${f.ruleId}:${f.severity}`)), JSON.stringify(latin)).toEqual([["extract/unreadable:error"]]);
    expect(latin[0]!.findings[0]!.message).toContain("not valid UTF-8");
    expect(latin[0]!.findings[0]!.hint).toContain("rename");
  });
});

describe.concurrent("configuration and the command line under stress", () => {
  const page = fence("ts", "const n: number = 1;\nconsole.log(n);");
  const stagesOff = ["--no-typecheck", "--no-lint", "--no-run"];

  it("a tsconfig that extends a missing file: exit 2 with the file named, no reports", async () => {
    const dir = makeProject({ ...base, "tsconfig.json": JSON.stringify({ extends: "./missing-base.json" }), "docs/a.md": page });
    const r = await cli(["--no-run"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing-base.json");
    expect(fs.existsSync(path.join(dir, "reports"))).toBe(false);
    await expectNoLeftovers(r.pid, dir);
  });

  it("a config file that throws: exit 2 naming the config and the error", async () => {
    const dir = makeProject({ ...base, "validate-docs.config.mjs": "throw new Error('config exploded');\n", "docs/a.md": page });
    const r = await cli([], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("validate-docs.config.mjs");
    expect(r.stderr).toContain("config exploded");
    await expectNoLeftovers(r.pid, dir);
  });

  it("an unwritable reports dir (a file is in the way): exit 2 with a clear error, examples not left running", async () => {
    const dir = makeProject({ ...base, reports: "not a directory", "docs/a.md": page });
    // The examples run (the reports are written after them); type-check and lint change nothing here.
    const r = await cli(["--no-typecheck", "--no-lint"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/validate-docs: .*reports/);
    expect(r.stderr).not.toContain("internal error");
    expect(fs.readFileSync(path.join(dir, "reports"), "utf8")).toBe("not a directory");
    await expectNoLeftovers(r.pid, dir);
  });

  it("two concurrent runs into one reports dir: both finish with the right exit code, reports valid JSON", async () => {
    // What the reports must agree on is one error: a skip without a reason, found at extraction, so no stage needs to
    // run (the runs meet at the reports dir, not in a stage).
    const dir = makeProject({ ...base, "docs/a.md": fence("ts skip", "const a = 1;"), "docs/b.md": page });
    const [one, two] = await Promise.all([cli(stagesOff, dir), cli(stagesOff, dir)]);
    expect([one.code, two.code], `${one.stderr}\n${two.stderr}`).toEqual([1, 1]);
    expect(expectValidReports(path.join(dir, "reports"))).toBeGreaterThan(0);
    expect(readIndex(path.join(dir, "reports")).summary.errors).toBe(1);
    await expectNoLeftovers(one.pid, dir);
    await expectNoLeftovers(two.pid, dir);
  });

  it("a run waits while another process holds the reports dir's lock, and takes over a lock whose owner is gone", async () => {
    // One error found at extraction (a skip without a reason), so no stage needs to run: the lock is what is tested.
    const dir = makeProject({ ...base, "docs/a.md": fence("ts skip", "const a = 1;"), "docs/b.md": page });
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 120_000)"], { stdio: "ignore" });
    const lock = path.join(dir, "reports", ".validate-docs-lock");
    fs.mkdirSync(lock, { recursive: true });
    fs.writeFileSync(path.join(lock, "pid"), String(holder.pid));
    const started = startCli(stagesOff, dir);
    try {
      // Long enough for a tiny run to reach its report write on a quiet machine; the assertions hold at any speed.
      await sleep(4000);
      expect(started.proc.exitCode).toBe(null);
      expect(fs.existsSync(path.join(dir, "reports", "index.json"))).toBe(false);
    } finally {
      holder.kill("SIGKILL");
    }
    const r = await started.done;
    expect(r.stderr).not.toContain("refusing");
    expect(r.code).toBe(1);
    expect(readIndex(path.join(dir, "reports")).summary.errors).toBe(1);
    expect(fs.existsSync(lock)).toBe(false);
    await expectNoLeftovers(r.pid, dir);
  });

  // SIGTERM only: one handler answers SIGINT and SIGTERM alike from the CLI's start (src/cli.ts
  // installInterruptHandlers: exit 130 or 143); SIGINT while examples run, exit 130 with no example process or temp
  // dir left, is test/cli/interrupt.test.ts's.
  for (const [signal, code] of [["SIGTERM", 143]] as const) {
    it(`${signal} while the config loads: exit ${code}, no reports`, async () => {
      const dir = makeProject({
        ...base,
        "validate-docs.config.mjs": "import fs from 'node:fs';\nfs.writeFileSync('loading', '');\nawait new Promise((r) => setTimeout(r, 60_000));\nexport default {};\n",
        "docs/a.md": page,
      });
      const started = startCli([], dir);
      await waitForFile(path.join(dir, "loading"));
      started.proc.kill(signal);
      const r = await started.done;
      expect(r.code).toBe(code);
      expect(fs.existsSync(path.join(dir, "reports"))).toBe(false);
      await expectNoLeftovers(r.pid, dir);
    });

    it(`${signal} while examples run: exit ${code}, examples killed, no torn report`, async () => {
      const dir = makeProject({
        ...base,
        "docs/spin.md": fence("ts", "import fs from 'node:fs';\nfs.writeFileSync(process.env.MARK!, '');\nwhile (true) {}"),
        "docs/other.md": page,
      });
      const mark = path.join(dir, "running");
      fs.writeFileSync(path.join(dir, "validate-docs.config.json"), JSON.stringify({ env: { MARK: mark }, sandbox: { write: ["."] } }));
      // The signal arrives while an example runs; type-check and lint change nothing here.
      const again = startCli(["--no-typecheck", "--no-lint", "--timeout", "120000"], dir);
      await waitForFile(mark);
      await sleep(200);
      again.proc.kill(signal);
      const r = await again.done;
      expect(r.code).toBe(code);
      expectValidReports(path.join(dir, "reports"));
      await expectNoLeftovers(r.pid, dir);
    });
  }
});
