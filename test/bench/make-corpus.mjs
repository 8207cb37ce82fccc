#!/usr/bin/env node
// A seeded docs corpus with a manifest of what a docs checker must find in it: the corpus of the bench
// (test/bench/bench.mjs) and of the corpus tests (test/cli/corpus.test.ts, test/lint/corpus.test.ts,
// test/cli/native.test.ts). No dependencies; the same arguments give the same bytes.
//
//   node test/bench/make-corpus.mjs --pages 100 --blocks 5 --out DIR [--seed 42] [--error-rate 0.1] [--banned-rate 0.04]
//
// --error-rate is the share of blocks with a deliberate mistake (a type error, a throw when run, or both),
// --banned-rate the share that use the banned `Tracer.init({ apiKey, instrumentors: [...] })` pattern
// (rules/no-init-instrumentors); both 0 give a corpus where every block passes.
//
// It writes, under DIR:
//   package.json, tsconfig.json      an ES module docs project (strict, ES2022, lib ES2022 + DOM, no @types)
//   node_modules/@acme/tracer/       the tracing SDK the docs document (test/bench/sdk.mjs): types and an ES module
//   docs/NNN-<topic>.md              the pages, each with exactly --blocks ```ts / ```typescript fences, prose, and
//                                    fences a checker must leave alone (bash, json, yaml, text)
//   manifest.json                    one row per TS fence, in page order:
//     { page, index (1-based among the page's TS fences), line (1-based line of its first code line), fence,
//       template, mistake (null for a clean block), expectTypeError (TypeScript 6's code, or null), errorNote,
//       throws (whether running it throws), banned }
// The row format is the one of ../shared/bench/make-corpus.mjs plus `mistake` and `throws`, so the bench and the
// tests read either generator's manifest (test/bench/manifest.mjs). An errorNote saying "tsc 7 reports TSnnnn"
// gives the code of the native TypeScript 7 compiler where it differs.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SDK_DTS, SDK_JS, SDK_NAME, SDK_PACKAGE } from "./sdk.mjs";

// ------------------------------------------------------------------ arguments
function options() {
  const usage = "usage: make-corpus.mjs --pages N --blocks M --out DIR [--seed S] [--error-rate R] [--banned-rate R]";
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        pages: { type: "string" },
        blocks: { type: "string", default: "5" },
        out: { type: "string" },
        seed: { type: "string", default: "42" },
        "error-rate": { type: "string", default: "0.1" },
        "banned-rate": { type: "string", default: "0.04" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (e) {
    fail(`${e.message}\n${usage}`);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const int = (name) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive integer, got ${values[name]}\n${usage}`);
    return n;
  };
  const rate = (name) => {
    const r = Number(values[name]);
    if (!(r >= 0 && r <= 1)) fail(`--${name} must be between 0 and 1, got ${values[name]}`);
    return r;
  };
  if (values.pages === undefined || values.out === undefined) fail(`--pages and --out are required\n${usage}`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) fail(`--seed must be an integer, got ${values.seed}`);
  const o = { pages: int("pages"), blocks: int("blocks"), out: path.resolve(values.out), seed, errorRate: rate("error-rate"), bannedRate: rate("banned-rate") };
  if (o.errorRate + o.bannedRate > 1) fail("--error-rate and --banned-rate add up to more than 1");
  return o;
}

function fail(message) {
  console.error(`make-corpus: ${message}`);
  process.exit(2);
}

// ------------------------------------------------------------------ seeded random numbers
/** sfc32, seeded through splitmix32: a small generator with a long period, the same sequence on every platform. */
function random(seed) {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix(), b = splitmix(), c = splitmix(), d = splitmix();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chance = (p) => next() < p;
  /** k distinct items of list, in list order. */
  const some = (list, k) => {
    const chosen = new Set();
    while (chosen.size < Math.min(k, list.length)) chosen.add(Math.floor(next() * list.length));
    return [...chosen].sort((x, y) => x - y).map((i) => list[i]);
  };
  return { next, int, pick, chance, some };
}

// ------------------------------------------------------------------ vocabulary
const SERVICES = ["checkout-api", "orders-api", "billing-worker", "search-gateway", "inventory-sync", "auth-service", "email-sender", "catalog-api", "shipping-quotes", "ledger"];
const ROUTES = ["/cart", "/orders", "/checkout", "/search", "/users/:id", "/inventory", "/invoices", "/login"];
const SPAN_NAMES = ["load-cart", "price-items", "reserve-stock", "render-invoice", "lookup-user", "send-receipt", "sync-index", "compute-tax", "resize-image", "refresh-session"];
const ATTRIBUTES = [
  ["http.method", () => JSON.stringify("GET")],
  ["http.route", (r) => JSON.stringify(r.pick(ROUTES))],
  ["http.status_code", (r) => String(r.pick([200, 201, 204, 404]))],
  ["db.system", (r) => JSON.stringify(r.pick(["postgres", "mysql", "sqlite"]))],
  ["cart.items", (r) => String(r.int(1, 12))],
  ["cache.hit", (r) => String(r.chance(0.5))],
  ["user.tier", (r) => JSON.stringify(r.pick(["free", "pro", "team"]))],
  ["region", (r) => JSON.stringify(r.pick(["eu-west-1", "us-east-2", "ap-south-1"]))],
  ["feature.flags", (r) => JSON.stringify(r.some(["new-checkout", "fast-search", "dark-mode", "beta-pricing"], 2))],
  ["payload.bytes", (r) => String(r.int(200, 90000))],
];

// ------------------------------------------------------------------ block templates
// Each template writes one realistic block around the SDK. `mistakes` lists the deliberate mistakes it can make:
// the TypeScript 6 error code it causes (null: it type-checks) and whether the block then throws when run (the SDK's
// run-time checks, test/bench/sdk.mjs). `write(r, mistake)` returns the code; mistake is one of the ids or null.
const TEMPLATES = [
  {
    name: "firstSpan",
    headings: ["Record your first span", "Spans and attributes", "Describe a unit of work"],
    intro: "A span measures one unit of work. Give it a name, attach attributes that describe the request, and end it when the work is done.",
    mistakes: {
      "object-attribute": { code: 2345, throws: true, note: "an object is not an AttributeValue (the SDK throws a TypeError)" },
      "end-twice": { code: null, throws: true, note: "the span is ended twice (the SDK throws)" },
    },
    write(r, m) {
      const service = r.pick(SERVICES);
      const attrs = r.some(ATTRIBUTES, r.int(1, 3));
      const [first, ...rest] = attrs;
      const chained = r.chance(0.5);
      const lines = [
        `import { Tracer, InMemoryExporter } from "${SDK_NAME}";`,
        "",
        "const exporter = new InMemoryExporter();",
        `const tracer = new Tracer({ serviceName: "${service}", exporter });`,
        "",
        `const span = tracer.startSpan("${r.pick(SPAN_NAMES)}", { kind: "${r.pick(["server", "internal"])}" });`,
      ];
      if (chained) lines.push(`span.setAttribute("${first[0]}", ${first[1](r)})${rest.map(([k, v]) => `.setAttribute("${k}", ${v(r)})`).join("")};`);
      else {
        lines.push(`span.setAttribute("${first[0]}", ${first[1](r)});`);
        if (rest.length) lines.push(`span.setAttributes({ ${rest.map(([k, v]) => `"${k}": ${v(r)}`).join(", ")} });`);
      }
      if (m === "object-attribute") lines.push(`const retryPolicy = { attempts: ${r.int(2, 5)}, backoffMs: ${r.int(50, 500)} };`, 'span.setAttribute("retry.policy", retryPolicy);');
      lines.push(`span.addEvent("${r.pick(["cache-miss", "validated", "queued"])}");`, "const finished = span.end();");
      if (m === "end-twice") lines.push("// ... later, in the error path", "span.end();");
      lines.push("", "await tracer.flush();", "console.log(finished.name, finished.status.code, Object.keys(finished.attributes).length, exporter.spans.length);");
      return lines.join("\n");
    },
  },
  {
    name: "asyncHandler",
    headings: ["Trace an async request handler", "Spans around async code", "Handlers with startActiveSpan"],
    intro: "`startActiveSpan` ends the span when the callback's promise settles, and records the error if it rejects, so an async handler needs no `finally`.",
    mistakes: {
      "missing-property": { code: 2339, throws: true, note: "reads `result.body`, which HandlerResult does not have (undefined at run time)" },
      "method-literal": { code: 2322, throws: false, note: "\"PATCH\" is not one of the request's methods" },
    },
    write(r, m) {
      const route = r.pick(ROUTES);
      const items = r.some(["sku-1001", "sku-2044", "sku-3310", "sku-4172", "sku-5099"], r.int(1, 4));
      const delay = r.int(1, 3);
      const method = m === "method-literal" ? "PATCH" : r.pick(["GET", "POST"]);
      const userLine = r.chance(0.6) ? `, userId: "u-${r.int(10, 999)}"` : "";
      return [
        `import { Tracer, ConsoleExporter, type Span } from "${SDK_NAME}";`,
        "",
        "interface IncomingRequest {",
        '  method: "GET" | "POST";',
        "  path: string;",
        "  userId?: string;",
        "}",
        "",
        "interface HandlerResult {",
        "  status: number;",
        "  payload: { items: string[] };",
        "}",
        "",
        `const tracer = new Tracer({ serviceName: "${r.pick(SERVICES)}", exporter: new ConsoleExporter({ prefix: "[http]" }) });`,
        "const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));",
        "",
        "async function handle(request: IncomingRequest): Promise<HandlerResult> {",
        "  return tracer.startActiveSpan(`${request.method} ${request.path}`, async (span: Span) => {",
        '    span.setAttribute("http.method", request.method);',
        '    if (request.userId) span.setAttribute("user.id", request.userId);',
        `    await sleep(${delay});`,
        `    const items = ${JSON.stringify(items)};`,
        '    span.setAttribute("result.count", items.length);',
        "    return { status: 200, payload: { items } };",
        "  });",
        "}",
        "",
        `const result = await handle({ method: "${method}", path: "${route}"${userLine} });`,
        m === "missing-property" ? "console.log(result.status, result.body.items.length);" : "console.log(result.status, result.payload.items.length);",
        "await tracer.flush();",
      ].join("\n");
    },
  },
  {
    name: "paymentService",
    headings: ["Instrument a service class", "Spans in a class", "Record errors on a span"],
    intro: "Keep the tracer on the service and open a span per operation. Record the error before rethrowing it, and end the span in `finally`.",
    mistakes: {
      "string-amount": { code: 2345, throws: true, note: "a string amount (the service's own check throws a RangeError)" },
      "unknown-currency": { code: 2345, throws: false, note: "\"GBP\" is not a Currency" },
      "negative-amount": { code: null, throws: true, note: "a negative amount: the service throws a RangeError" },
    },
    // Known limit of validate-docs (not of this block): its constructor parameter `tracer` counts as a use of the
    // page's `tracer` (src/context/carry.ts `references()` is not scope-aware), so after a block of the page that
    // threw before declaring `tracer` (sampling's percent-ratio), this block is reported `run/context-not-run` and
    // not run; a throwing mistake of it then shows as "did not throw" in the comparison. The corpora of the bench
    // (seed 42) and of the tests have no such pair.
    write(r, m) {
      const cls = r.pick(["PaymentService", "ChargeClient", "Payments"]);
      const v = cls.charAt(0).toLowerCase() + cls.slice(1);
      const amount = m === "string-amount" ? `"${r.int(100, 9999)}"` : m === "negative-amount" ? String(-r.int(100, 9999)) : String(r.int(100, 99999));
      const currency = m === "unknown-currency" ? "GBP" : r.pick(["EUR", "USD", "JPY"]);
      return [
        `import { Tracer, InMemoryExporter, type Span } from "${SDK_NAME}";`,
        "",
        'type Currency = "EUR" | "USD" | "JPY";',
        "",
        `class ${cls} {`,
        "  readonly #tracer: Tracer;",
        "",
        "  constructor(tracer: Tracer) {",
        "    this.#tracer = tracer;",
        "  }",
        "",
        "  charge(amountCents: number, currency: Currency): string {",
        '    const span: Span = this.#tracer.startSpan("charge", { kind: "client", attributes: { currency } });',
        "    try {",
        "      if (!Number.isInteger(amountCents) || amountCents <= 0) {",
        "        throw new RangeError(`amount must be a positive number of cents, got ${amountCents}`);",
        "      }",
        '      span.setAttribute("amount.cents", amountCents);',
        "      return `ch_${currency.toLowerCase()}_${amountCents}`;",
        "    } catch (error) {",
        "      span.recordError(error);",
        "      throw error;",
        "    } finally {",
        "      span.end();",
        "    }",
        "  }",
        "}",
        "",
        "const exporter = new InMemoryExporter();",
        `const ${v} = new ${cls}(new Tracer({ serviceName: "${r.pick(SERVICES)}", exporter }));`,
        `console.log(${v}.charge(${amount}, "${currency}"));`,
      ].join("\n");
    },
  },
  {
    name: "genericCache",
    headings: ["Trace a generic cache", "Wrap functions with traced()", "Generic helpers"],
    intro: "`traced` wraps any function, keeping its parameter and return types, so a typed cache stays typed when every lookup is a span.",
    mistakes: {
      "wrong-value-type": { code: 2345, throws: false, note: "a string stored in a cache of numbers" },
      "possibly-undefined": { code: 18048, throws: false, note: "the lookup's result may be undefined" },
      "missing-entry": { code: null, throws: true, note: "a non-null assertion on a key that is not cached (TypeError at run time)" },
    },
    write(r, m) {
      const skus = r.some(["sku-1", "sku-2", "sku-3", "sku-4", "sku-5"], r.int(2, 3));
      const prices = skus.map(() => (r.int(100, 9999) / 100).toFixed(2));
      const wanted = skus[0];
      const last =
        m === "possibly-undefined"
          ? [`const price = lookup("${wanted}");`, "console.log(price.toFixed(2), prices.size);"]
          : m === "missing-entry"
            ? [`console.log(lookup("sku-404")!.toFixed(2), prices.size);`]
            : [`const price = lookup("${wanted}");`, "console.log(price?.toFixed(2) ?? \"not cached\", prices.size);"];
      return [
        `import { Tracer, traced } from "${SDK_NAME}";`,
        "",
        "class TtlCache<K, V> {",
        "  readonly #entries = new Map<K, { value: V; expires: number }>();",
        "",
        "  constructor(private readonly ttlMs: number) {}",
        "",
        "  set(key: K, value: V): this {",
        "    this.#entries.set(key, { value, expires: Date.now() + this.ttlMs });",
        "    return this;",
        "  }",
        "",
        "  get(key: K): V | undefined {",
        "    const entry = this.#entries.get(key);",
        "    return entry && entry.expires > Date.now() ? entry.value : undefined;",
        "  }",
        "",
        "  get size(): number {",
        "    return this.#entries.size;",
        "  }",
        "}",
        "",
        `const tracer = new Tracer({ serviceName: "${r.pick(SERVICES)}" });`,
        `const prices = new TtlCache<string, number>(${r.pick(["60_000", "5 * 60_000", "30_000"])});`,
        'const lookup = traced(tracer, "price-lookup", (sku: string) => prices.get(sku));',
        "",
        ...skus.map((s, i) => `prices.set("${s}", ${prices[i]});`),
        ...(m === "wrong-value-type" ? [`prices.set("sku-gift", "free");`] : []),
        ...last,
      ].join("\n");
    },
  },
  {
    name: "batchExporter",
    headings: ["Write a custom exporter", "Batch exported spans", "Export to your own backend"],
    intro: "An exporter is any object with an `export` method. Wrap it in a `BatchExporter` to send spans in groups of a bounded size.",
    mistakes: {
      "unknown-option": { code: 2353, throws: false, note: "`batchLimit` is not an option of BatchExporter" },
      "span-after-shutdown": { code: null, throws: true, note: "a span started after shutdown() (the SDK throws)" },
    },
    write(r, m) {
      const cls = r.pick(["StatsExporter", "CountingExporter", "HistogramExporter"]);
      const n = r.int(5, 24);
      const size = r.int(2, 8);
      const names = r.some(["read", "write", "scan", "delete", "upsert"], 2);
      return [
        `import { Tracer, BatchExporter, type FinishedSpan, type SpanExporter } from "${SDK_NAME}";`,
        "",
        `class ${cls} implements SpanExporter {`,
        "  readonly byName = new Map<string, number>();",
        "",
        "  export(spans: readonly FinishedSpan[]): void {",
        "    for (const span of spans) {",
        "      this.byName.set(span.name, (this.byName.get(span.name) ?? 0) + 1);",
        "    }",
        "  }",
        "}",
        "",
        `const stats = new ${cls}();`,
        `const batcher = new BatchExporter(stats, { ${m === "unknown-option" ? "batchLimit" : "maxBatchSize"}: ${size} });`,
        `const tracer = new Tracer({ serviceName: "${r.pick(SERVICES)}", exporter: batcher });`,
        "",
        `for (let i = 0; i < ${n}; i++) {`,
        `  tracer.startSpan(i % ${r.int(2, 4)} === 0 ? "${names[0]}" : "${names[1]}").end();`,
        "}",
        "",
        "const exported = await tracer.flush();",
        "await tracer.shutdown();",
        ...(m === "span-after-shutdown" ? ['tracer.startSpan("late-write").end();'] : []),
        "console.log(exported, batcher.batches, [...stats.byName.entries()].sort());",
      ].join("\n");
    },
  },
  {
    name: "nestedSpans",
    headings: ["Nest spans across concurrent work", "Parent and child spans", "Trace Promise.all"],
    intro: "Pass the parent span when starting a child. Children started concurrently all share the parent's trace.",
    mistakes: {
      "unknown-kind": { code: 2322, throws: false, note: "\"backend\" is not a SpanKind" },
      "string-slowest": { code: 2322, throws: false, note: "a number assigned to a string" },
      "step-fails": { code: null, throws: true, note: "one step rejects and Promise.all rejects with it" },
    },
    write(r, m) {
      const steps = r.some(["auth", "db", "cache", "pricing", "render", "audit"], r.int(2, 4));
      const failing = steps[steps.length - 1];
      return [
        `import { Tracer, InMemoryExporter } from "${SDK_NAME}";`,
        "",
        "const exporter = new InMemoryExporter();",
        `const tracer = new Tracer({ serviceName: "${r.pick(SERVICES)}", exporter });`,
        `const request = tracer.startSpan("${r.pick(["GET", "POST"])} ${r.pick(ROUTES)}", { kind: "${m === "unknown-kind" ? "backend" : "server"}" });`,
        "",
        `const steps = ${JSON.stringify(steps)};`,
        "const durations = await Promise.all(",
        "  steps.map(async (step, i) => {",
        "    const child = tracer.startSpan(step, { parent: request });",
        "    await new Promise<void>((resolve) => setTimeout(resolve, i + 1));",
        ...(m === "step-fails" ? [`    if (step === "${failing}") throw new Error(\`step \${step} failed after \${i + 1} ms\`);`] : []),
        "    return child.end().durationMs;",
        "  }),",
        ");",
        "request.end();",
        "await tracer.flush();",
        "",
        "const children = exporter.spans.filter((s) => s.parentSpanId === request.context.spanId);",
        `const slowest${m === "string-slowest" ? ": string" : ""} = Math.max(...durations);`,
        'console.log(children.map((s) => s.name).join(" > "), slowest);',
      ].join("\n");
    },
  },
  {
    name: "instrumentations",
    headings: ["Enable instrumentations", "Auto-instrument HTTP and SQL", "Register instrumentations"],
    intro: "Create the tracer first, then register the instrumentations with it. Each one may be enabled once per tracer.",
    mistakes: {
      "unknown-dialect": { code: 2820, throws: true, note: "\"postgresql\" is not a dialect, did you mean \"postgres\"? (sqlInstrumentation throws a TypeError)" },
      "extra-argument": { code: 2554, throws: false, note: "httpInstrumentation takes one argument" },
      "registered-twice": { code: null, throws: true, note: "the http instrumentation is registered twice (the SDK throws)" },
    },
    write(r, m) {
      const dialect = m === "unknown-dialect" ? "postgresql" : r.pick(["postgres", "mysql", "sqlite"]);
      const ignore = JSON.stringify(r.some(["/health", "/metrics", "/ready", "/favicon.ico"], r.int(1, 2)));
      const queue = r.chance(0.5);
      const imports = ["Tracer", "registerInstrumentations", "httpInstrumentation", "sqlInstrumentation", ...(queue ? ["queueInstrumentation"] : []), "VERSION"];
      return [
        `import { ${imports.join(", ")} } from "${SDK_NAME}";`,
        "",
        `const tracer = new Tracer({ serviceName: "${r.pick(SERVICES)}", resource: { "deployment.environment": "${r.pick(["staging", "production"])}" } });`,
        "",
        "registerInstrumentations(tracer, [",
        `  httpInstrumentation({ ignorePaths: ${ignore} }${m === "extra-argument" ? ", true" : ""}),`,
        `  sqlInstrumentation({ dialect: "${dialect}", captureQueries: ${r.chance(0.5)} }),`,
        ...(queue ? [`  queueInstrumentation({ queues: ${JSON.stringify(r.some(["emails", "webhooks", "exports"], 2))} }),`] : []),
        "]);",
        ...(m === "registered-twice" ? ["", "// a plugin that sets up HTTP tracing on its own", "registerInstrumentations(tracer, [httpInstrumentation()]);"] : []),
        "",
        'console.log(`${VERSION}:`, tracer.enabledInstrumentations.join(", "));',
      ].join("\n");
    },
  },
  {
    name: "propagation",
    headings: ["Propagate context between services", "Continue a trace downstream", "Inject and extract headers"],
    intro: "`inject` writes the span's context into outgoing headers; the receiving service `extract`s it and starts its span as a child.",
    mistakes: {
      "maybe-context": { code: 18048, throws: false, note: "extract() may return undefined" },
      "misspelled-method": { code: 2551, throws: true, note: "`Inject` is not a method (did you mean inject?)" },
      "no-inject": { code: null, throws: true, note: "the headers are never injected, so traceparent is undefined" },
    },
    write(r, m) {
      const downstream = r.pick(["inventory", "pricing", "accounts", "shipping"]);
      return [
        `import { Tracer, InMemoryExporter, type SpanContext } from "${SDK_NAME}";`,
        "",
        "const exporter = new InMemoryExporter();",
        `const tracer = new Tracer({ serviceName: "${r.pick(SERVICES)}", exporter });`,
        "",
        "function receive(headers: Readonly<Record<string, string>>): SpanContext | undefined {",
        "  return tracer.extract(headers);",
        "}",
        "",
        `const client = tracer.startSpan("GET /${downstream}", { kind: "client" });`,
        `const headers: Record<string, string> = { accept: "application/json", "x-request-id": "req-${r.int(1000, 9999)}" };`,
        ...(m === "no-inject" ? [] : [`tracer.${m === "misspelled-method" ? "Inject" : "inject"}(client, headers);`]),
        "",
        "const remote = receive(headers);",
        `const server = tracer.startSpan("${downstream}.lookup", { kind: "server", parent: remote });`,
        "server.end();",
        "client.end();",
        "await tracer.flush();",
        "",
        m === "maybe-context"
          ? "console.log(remote.traceId === client.context.traceId, exporter.spans.length);"
          : 'console.log(headers.traceparent.split("-").length, remote?.traceId === client.context.traceId, exporter.spans.length);',
      ].join("\n");
    },
  },
  {
    name: "metrics",
    headings: ["Count requests and record latency", "Metrics", "Counters and histograms"],
    intro: "A meter hands out counters, which only go up, and histograms, which count values into buckets.",
    mistakes: {
      "negative-counter": { code: null, throws: true, note: "a counter decremented (the SDK throws a RangeError)" },
      "string-boundary": { code: 2322, throws: false, note: "a string among the histogram's numeric boundaries" },
      "unknown-option": { code: 2353, throws: false, note: "`description` is not a counter option" },
    },
    write(r, m) {
      const route = r.pick(ROUTES);
      const samples = Array.from({ length: r.int(3, 7) }, () => r.int(3, 800));
      const bounds = ["10", "50", "100", "500"];
      if (m === "string-boundary") bounds[r.int(0, 3)] = `"${bounds[0]}"`;
      return [
        `import { Meter } from "${SDK_NAME}";`,
        "",
        `const meter = new Meter("${r.pick(SERVICES)}");`,
        `const requests = meter.counter("http.requests", { unit: "1"${m === "unknown-option" ? ', description: "requests served"' : ""} });`,
        `const latency = meter.histogram("http.latency_ms", [${bounds.join(", ")}]);`,
        "",
        `const samples = ${JSON.stringify(samples)};`,
        "for (const ms of samples) {",
        `  requests.add(1, { route: "${route}" });`,
        "  latency.record(ms);",
        "}",
        ...(m === "negative-counter" ? ["// one request was cancelled", `requests.add(-1, { route: "${route}" });`] : []),
        "",
        "for (const point of meter.collect()) {",
        '  console.log(point.name, point.kind, point.value, point.buckets?.join("/") ?? "");',
        "}",
      ].join("\n");
    },
  },
  {
    name: "sampling",
    headings: ["Sample traces", "Keep a share of spans", "Custom samplers"],
    intro: "A sampler decides which finished spans are exported. Compose your own from `ratioSampler` to keep every failed request.",
    mistakes: {
      "percent-ratio": { code: null, throws: true, note: "a percentage passed as the ratio (ratioSampler throws a RangeError)" },
      "wrong-method": { code: 2353, throws: true, note: "`decide` is not a Sampler method (the tracer calls shouldSample and throws)" },
    },
    write(r, m) {
      const ratio = r.pick([0.1, 0.25, 0.5]);
      const names = r.some(["GET /", "GET /cart", "POST /checkout", "GET /health", "DELETE /session", "POST /login"], 4);
      const failing = names.filter((n) => !n.startsWith("GET"));
      const method = m === "wrong-method" ? "decide" : "shouldSample";
      return [
        `import { Tracer, InMemoryExporter, ratioSampler, type Attributes, type Sampler } from "${SDK_NAME}";`,
        "",
        `const base = ratioSampler(${m === "percent-ratio" ? ratio * 100 : ratio});`,
        "const keepErrors: Sampler = {",
        `  ${method}: (name: string, attributes: Readonly<Attributes>) => attributes["error"] === true || base.shouldSample(name, attributes),`,
        "};",
        "",
        "const exporter = new InMemoryExporter();",
        `const tracer = new Tracer({ serviceName: "${r.pick(SERVICES)}", exporter, sampler: keepErrors });`,
        `for (const name of ${JSON.stringify(names)}) {`,
        "  const span = tracer.startSpan(name);",
        `  if (${JSON.stringify(failing)}.includes(name)) span.setAttribute("error", true);`,
        "  span.end();",
        "}",
        `console.log(\`kept \${await tracer.flush()} of ${names.length} spans\`);`,
      ].join("\n");
    },
  },
  {
    name: "tracedLookup",
    headings: ["Trace an async lookup", "Typed async functions", "Trace data access"],
    intro: "`traced` keeps an async function's signature: the wrapped lookup still takes an id and resolves to a user or undefined.",
    mistakes: {
      "extra-argument": { code: 2554, throws: false, note: "findUser takes one argument" },
      "unknown-field": { code: 2339, throws: false, note: "User has no `email` (undefined at run time, printed)" },
      "undeclared-type": { code: 2304, throws: false, note: "`UserRecord` is not declared (a type: nothing of it is left at run time)" },
    },
    write(r, m) {
      const users = [
        ["u-1", "Ada", "pro"],
        ["u-2", "Grace", "free"],
        ["u-3", "Linus", "team"],
      ].slice(0, r.int(2, 3));
      const id = r.pick(users)[0];
      return [
        `import { Tracer, ConsoleExporter, traced } from "${SDK_NAME}";`,
        "",
        "interface User {",
        "  id: string;",
        "  name: string;",
        '  plan: "free" | "pro" | "team";',
        "}",
        "",
        `const users = new Map<string, ${m === "undeclared-type" ? "UserRecord" : "User"}>([`,
        ...users.map(([uid, name, plan]) => `  ["${uid}", { id: "${uid}", name: "${name}", plan: "${plan}" }],`),
        "]);",
        `const tracer = new Tracer({ serviceName: "${r.pick(SERVICES)}", exporter: new ConsoleExporter({ prefix: "[db]" }) });`,
        "",
        'const findUser = traced(tracer, "find-user", async (id: string): Promise<User | undefined> => {',
        `  await new Promise((resolve) => setTimeout(resolve, ${r.int(1, 3)}));`,
        "  return users.get(id);",
        "});",
        "",
        `const user = await findUser("${id}"${m === "extra-argument" ? ", { cache: true }" : ""});`,
        m === "unknown-field" ? 'console.log(user?.name ?? "not found", user?.email);' : 'console.log(user?.name ?? "not found", user?.plan);',
        "await tracer.flush();",
      ].join("\n");
    },
  },
];

/** The banned pattern: instrumentors handed to the deprecated Tracer.init (rules/no-init-instrumentors). */
const BANNED = [
  {
    name: "bannedInit",
    headings: ["Quick setup with Tracer.init", "One-line setup"],
    intro: "Older guides set everything up in one call:",
    write(r) {
      const sql = r.chance(0.5);
      return [
        `import { Tracer, httpInstrumentation${sql ? ", sqlInstrumentation" : ""} } from "${SDK_NAME}";`,
        "",
        `const apiKey = "ak_${r.pick(["dev", "test"])}_${r.int(1000, 9999)}";`,
        `const tracer = Tracer.init({ apiKey, serviceName: "${r.pick(SERVICES)}", instrumentors: [httpInstrumentation()${sql ? `, sqlInstrumentation({ dialect: "${r.pick(["postgres", "mysql"])}" })` : ""}] });`,
        "",
        `tracer.startSpan("${r.pick(SPAN_NAMES)}").end();`,
        "console.log(tracer.serviceName, tracer.enabledInstrumentations);",
      ].join("\n");
    },
  },
  {
    name: "bannedBootstrap",
    headings: ["A bootstrap function", "Set up tracing at startup"],
    intro: "A bootstrap function that configures tracing once at startup:",
    write(r) {
      return [
        `import { Tracer, queueInstrumentation } from "${SDK_NAME}";`,
        "",
        "async function bootstrap(apiKey: string): Promise<Tracer> {",
        "  const tracer = Tracer.init({",
        "    apiKey,",
        `    serviceName: "${r.pick(SERVICES)}",`,
        `    instrumentors: [queueInstrumentation({ queues: ${JSON.stringify(r.some(["emails", "webhooks", "exports"], 2))} })],`,
        "  });",
        "  await tracer.flush();",
        "  return tracer;",
        "}",
        "",
        `const tracer = await bootstrap("ak_test_${r.int(1000, 9999)}");`,
        "console.log(tracer.enabledInstrumentations.length);",
      ].join("\n");
    },
  },
];

/** Every template's mistakes, template → mistake → { code, throws, note }: what a manifest row can say. */
export const CATALOG = Object.fromEntries(TEMPLATES.map((t) => [t.name, t.mistakes]));

/**
 * The blocks in order: each is banned, has a mistake, or is clean, by the two rates. Mistakes and banned variants
 * are dealt from shuffled decks of all of them (reshuffled when used up), so every one of the catalog's mistakes
 * appears once the corpus has as many mistaken blocks as the catalog has mistakes.
 */
function blocks(r, o) {
  const deck = (all) => {
    let cards = [];
    return () => {
      if (cards.length === 0) {
        cards = [...all];
        for (let i = cards.length - 1; i > 0; i--) {
          const j = r.int(0, i);
          [cards[i], cards[j]] = [cards[j], cards[i]];
        }
      }
      return cards.pop();
    };
  };
  const nextMistake = deck(TEMPLATES.flatMap((t) => Object.keys(t.mistakes).map((mistake) => ({ t, mistake }))));
  const nextBanned = deck(BANNED);
  return () => {
    const roll = r.next();
    if (roll < o.bannedRate) {
      const t = nextBanned();
      return { t, code: t.write(r), mistake: null, error: null, throws: false, banned: true };
    }
    if (roll < o.bannedRate + o.errorRate) {
      const { t, mistake } = nextMistake();
      const m = t.mistakes[mistake];
      return { t, code: t.write(r, mistake), mistake, error: m.code, note: m.note, throws: m.throws, banned: false };
    }
    const t = r.pick(TEMPLATES);
    return { t, code: t.write(r, null), mistake: null, error: null, throws: false, banned: false };
  };
}

// ------------------------------------------------------------------ pages
const TOPICS = [
  ["getting-started", "Getting started"],
  ["spans", "Working with spans"],
  ["async", "Async code"],
  ["exporters", "Exporters"],
  ["instrumentation", "Instrumentation"],
  ["sampling", "Sampling"],
  ["errors", "Recording errors"],
  ["propagation", "Context propagation"],
  ["metrics", "Metrics"],
  ["testing", "Testing your instrumentation"],
  ["migration", "Migrating from 1.x"],
  ["recipes", "Recipes"],
];
const PHRASES = [
  "every span belongs to exactly one trace",
  "attributes are cheap to record and easy to query later",
  "the exporter runs when you flush, not when a span ends",
  "sampling happens after a span ends, so its attributes can decide",
  "a span that is never ended is never exported",
  "child spans share their parent's trace id",
  "errors recorded on a span show up as events",
  "flush before the process exits or the last spans are lost",
  "the SDK keeps no global state, so tests can create as many tracers as they need",
  "instrumentations patch libraries once per tracer",
  "metrics and traces share the service name",
  "keep span names low-cardinality and put identifiers in attributes",
];
const sentence = (r) => {
  const [a, b] = r.some(PHRASES, 2);
  const s = r.pick([`${a}, and ${b}`, `${a}; ${b}`, `Remember that ${a}`, `In practice ${a}`, a]);
  return s.charAt(0).toUpperCase() + s.slice(1) + ".";
};
const paragraph = (r) => Array.from({ length: r.int(1, 3) }, () => sentence(r)).join(" ");

/** Fences and prose a checker must leave alone. */
function aside(r) {
  switch (r.int(0, 4)) {
    case 0:
      return ["The same options can come from a JSON file:", "", "```json", ...JSON.stringify({ serviceName: r.pick(SERVICES), sampleRatio: r.pick([0.1, 0.5, 1]), exporter: "batch" }, null, 2).split("\n"), "```"];
    case 1:
      return ["Or in the deployment's YAML:", "", "```yaml", "tracing:", `  service: ${r.pick(SERVICES)}`, `  ratio: ${r.pick([0.1, 0.25, 1])}`, "```"];
    case 2:
      return ["The console shows something like:", "", "```text", `[http] ${r.pick(["GET", "POST"])} ${r.pick(ROUTES)} ok ${r.int(1, 40)}.${r.int(0, 9)}ms`, "```"];
    case 3:
      return [`> **Note:** ${sentence(r)}`];
    default:
      return ["| option | default |", "| --- | --- |", "| `maxBatchSize` | 64 |", "| `sampler` | keep every span |"];
  }
}

function page(r, o, p, nextBlock, manifest) {
  const [slug, title] = TOPICS[(p - 1) % TOPICS.length];
  const width = Math.max(3, String(o.pages).length);
  const name = `docs/${String(p).padStart(width, "0")}-${slug}.md`;
  const lines = [`# ${title}${p > TOPICS.length ? ` (part ${Math.ceil(p / TOPICS.length)})` : ""}`, "", paragraph(r), ""];
  if (p % 3 === 1) lines.push("Install the SDK:", "", "```bash", `npm install ${SDK_NAME}`, "```", "");
  for (let index = 1; index <= o.blocks; index++) {
    const block = nextBlock();
    const fence = r.chance(0.85) ? "ts" : "typescript";
    lines.push(`## ${r.pick(block.t.headings)}`, "", block.t.intro, "");
    if (r.chance(0.4)) lines.push(paragraph(r), "");
    lines.push("```" + fence);
    const line = lines.length + 1;
    lines.push(...block.code.split("\n"), "```", "");
    if (r.chance(0.3)) lines.push(...aside(r), "");
    manifest.push({
      page: name,
      index,
      line,
      fence,
      template: block.t.name,
      mistake: block.mistake,
      expectTypeError: block.error,
      errorNote: block.note,
      throws: block.throws,
      banned: block.banned,
    });
  }
  lines.push(`Next: ${TOPICS[p % TOPICS.length][1].toLowerCase()}.`, "");
  return { name, text: lines.join("\n") };
}

// ------------------------------------------------------------------ the corpus
function write(file, content) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

function main() {
  const o = options();
  const r = random(o.seed);
  fs.rmSync(path.join(o.out, "docs"), { recursive: true, force: true });
  // "main": typescript-docs-verifier (a peer of the bench) refuses a package.json without one.
  write(path.join(o.out, "package.json"), JSON.stringify({ name: "acme-tracer-docs", version: "1.0.0", private: true, type: "module", main: "./index.js" }, null, 2) + "\n");
  const compilerOptions = {
    target: "ES2022",
    module: "ESNext",
    moduleResolution: "Bundler",
    moduleDetection: "force",
    lib: ["ES2022", "DOM"],
    types: [],
    strict: true,
    isolatedModules: true,
    skipLibCheck: true,
    noEmit: true,
  };
  write(path.join(o.out, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["docs/**/*.ts"] }, null, 2) + "\n");
  const sdk = path.join(o.out, "node_modules", ...SDK_NAME.split("/"));
  write(path.join(sdk, "package.json"), JSON.stringify(SDK_PACKAGE, null, 2) + "\n");
  write(path.join(sdk, "index.d.ts"), SDK_DTS);
  write(path.join(sdk, "index.js"), SDK_JS);

  const manifest = [];
  const nextBlock = blocks(r, o);
  for (let p = 1; p <= o.pages; p++) {
    const { name, text } = page(r, o, p, nextBlock, manifest);
    write(path.join(o.out, name), text);
  }
  write(path.join(o.out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  const count = (f) => manifest.filter(f).length;
  console.log(
    `wrote ${o.pages} pages × ${o.blocks} blocks = ${manifest.length} TS blocks to ${o.out} (seed ${o.seed}): ` +
      `${count((m) => m.expectTypeError !== null)} with a type error, ${count((m) => m.throws)} that throw when run, ` +
      `${count((m) => m.banned)} with the banned Tracer.init pattern`,
  );
}

// Run as a script (not when a test imports CATALOG).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
