#!/usr/bin/env node
// The bound pipeline of ../shared/bench/PEERS.md, the yardstick of `npm run bench`: extract the TS fences →
// (one native tsc 7 program ∥ one esbuild build → 2 long-lived worker threads that import() each block) → tally
// per page. It checks types and runs blocks with no isolation between pages and no lint: the least work a docs
// checker can do, not a tool.
//
//   node bound.mjs CORPUS_DIR TSC7_BIN   → prints {"blocks":N,"typeErrors":[{page,index,code}],"threw":[{page,index}]}
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

const [corpus, tsc7] = process.argv.slice(2);
const esbuild = createRequire(import.meta.url)("esbuild");
const work = path.join(corpus, ".bound");
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(path.join(work, "src"), { recursive: true });

// Extract: every ```ts / ```typescript fence, numbered per page from 1 (as in the corpus manifest).
const pages = [];
const byFile = new Map();
for (const name of fs.readdirSync(path.join(corpus, "docs")).sort()) {
  if (!name.endsWith(".md")) continue;
  const text = fs.readFileSync(path.join(corpus, "docs", name), "utf8");
  const page = { page: `docs/${name}`, files: [] };
  let index = 0;
  for (const m of text.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```$/gm)) {
    const file = path.join(work, "src", `${name}.${++index}.ts`);
    fs.writeFileSync(file, m[1]);
    page.files.push(file);
    byFile.set(file, { page: page.page, index });
  }
  pages.push(page);
}
fs.writeFileSync(
  path.join(work, "tsconfig.json"),
  JSON.stringify({ extends: "../tsconfig.json", compilerOptions: { noEmit: true, moduleDetection: "force" }, include: ["src/*.ts"] }),
);

const typecheck = new Promise((resolve, reject) => {
  const child = spawn(tsc7, ["-p", path.join(work, "tsconfig.json"), "--pretty", "false"], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.on("error", reject);
  child.on("exit", () => {
    const errors = [];
    for (const m of out.matchAll(/^(.*?\.ts)\(\d+,\d+\): error TS(\d+)/gm)) {
      const where = byFile.get(path.resolve(work, m[1])) ?? byFile.get(path.resolve(m[1]));
      if (where) errors.push({ ...where, code: Number(m[2]) });
    }
    resolve(errors);
  });
});

const run = (async () => {
  const entryPoints = [...byFile.keys()];
  await esbuild.build({ entryPoints, outdir: path.join(work, "js"), format: "esm", platform: "node", target: "node20", logLevel: "silent" });
  const jobs = pages.map((p) => p.files.map((f) => ({ ...byFile.get(f), url: pathToFileURL(path.join(work, "js", `${path.basename(f, ".ts")}.js`)).href })));
  const workerSource = `
    import { parentPort } from "node:worker_threads";
    parentPort.on("message", async (blocks) => {
      const threw = [];
      for (const b of blocks) {
        try { await import(b.url); } catch { threw.push({ page: b.page, index: b.index }); }
      }
      parentPort.postMessage(threw);
    });`;
  const threw = [];
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(workerSource)}`), { stdout: true });
      worker.stdout.resume();
      while (next < jobs.length) {
        const job = jobs[next++];
        threw.push(...(await new Promise((resolve) => { worker.once("message", resolve); worker.postMessage(job); })));
      }
      await worker.terminate();
    }),
  );
  return threw;
})();

const [typeErrors, threw] = await Promise.all([typecheck, run]);
process.stdout.write(JSON.stringify({ blocks: byFile.size, typeErrors, threw }));
