// The fake tracing SDK the generated docs corpus documents (test/bench/make-corpus.mjs installs it as
// node_modules/@acme/tracer in the corpus): type declarations and an ES module implementation. Its run-time checks
// are what the corpus's "throws when run" blocks trip over, so they are part of the manifest's contract: a block the
// manifest says throws must throw here, and a clean block must not.

export const SDK_NAME = "@acme/tracer";
export const SDK_VERSION = "2.3.0";

export const SDK_DTS = `// @acme/tracer ${SDK_VERSION}: spans, exporters, sampling, context propagation, metrics.
export type AttributeValue = string | number | boolean | readonly string[];
export type Attributes = Record<string, AttributeValue>;
export type SpanKind = "internal" | "server" | "client" | "producer" | "consumer";
export type StatusCode = "unset" | "ok" | "error";

export interface SpanContext {
  readonly traceId: string;
  readonly spanId: string;
}

export interface StartSpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  parent?: Span | SpanContext;
}

export interface SpanEvent {
  readonly name: string;
  readonly attributes: Readonly<Attributes>;
}

export interface FinishedSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly attributes: Readonly<Attributes>;
  readonly events: readonly SpanEvent[];
  readonly status: { readonly code: StatusCode; readonly message?: string };
  readonly durationMs: number;
}

export declare class Span {
  readonly name: string;
  readonly context: SpanContext;
  readonly isEnded: boolean;
  /** Throws a TypeError for a value that is not an AttributeValue. */
  setAttribute(key: string, value: AttributeValue): this;
  setAttributes(attributes: Attributes): this;
  addEvent(name: string, attributes?: Attributes): this;
  setStatus(code: StatusCode, message?: string): this;
  recordError(error: unknown): this;
  /** Ends the span; throws when it has already ended. */
  end(): FinishedSpan;
}

export interface SpanExporter {
  export(spans: readonly FinishedSpan[]): Promise<void> | void;
  shutdown?(): Promise<void> | void;
}

export interface Sampler {
  shouldSample(name: string, attributes: Readonly<Attributes>): boolean;
}

export interface TracerOptions {
  serviceName: string;
  exporter?: SpanExporter;
  sampler?: Sampler;
  resource?: Attributes;
}

export interface Instrumentation {
  readonly name: string;
  enable(tracer: Tracer): void;
}

export interface InitOptions {
  apiKey: string;
  serviceName?: string;
  instrumentors?: Instrumentation[];
}

export declare class Tracer {
  constructor(options: TracerOptions);
  readonly serviceName: string;
  readonly resource: Readonly<Attributes>;
  readonly enabledInstrumentations: readonly string[];
  /** Throws once the tracer is shut down. */
  startSpan(name: string, options?: StartSpanOptions): Span;
  /** Runs fn with a new span and ends it when fn returns or its promise settles. */
  startActiveSpan<T>(name: string, fn: (span: Span) => T): T;
  inject(span: Span, carrier: Record<string, string>): void;
  extract(carrier: Readonly<Record<string, string>>): SpanContext | undefined;
  /** Exports the spans ended since the last flush; resolves to how many. */
  flush(): Promise<number>;
  shutdown(): Promise<void>;
  /** @deprecated Create a \`new Tracer(options)\`, then call \`registerInstrumentations()\`. */
  static init(options: InitOptions): Tracer;
}

export declare class InMemoryExporter implements SpanExporter {
  readonly spans: FinishedSpan[];
  export(spans: readonly FinishedSpan[]): void;
  reset(): void;
}

export declare class ConsoleExporter implements SpanExporter {
  constructor(options?: { prefix?: string });
  export(spans: readonly FinishedSpan[]): void;
}

export declare class BatchExporter implements SpanExporter {
  constructor(next: SpanExporter, options?: { maxBatchSize?: number });
  readonly batches: number;
  export(spans: readonly FinishedSpan[]): Promise<void>;
}

/** Keeps a deterministic share of spans (by name); throws a RangeError outside 0..1. */
export declare function ratioSampler(ratio: number): Sampler;
export declare function httpInstrumentation(options?: { ignorePaths?: string[] }): Instrumentation;
export declare function sqlInstrumentation(options: { dialect: "postgres" | "mysql" | "sqlite"; captureQueries?: boolean }): Instrumentation;
export declare function queueInstrumentation(options?: { queues?: string[] }): Instrumentation;
/** Throws when an instrumentation of the same name is already enabled on the tracer. */
export declare function registerInstrumentations(tracer: Tracer, instrumentations: readonly Instrumentation[]): void;
/** Wraps fn so that every call runs in a span named \`name\`. */
export declare function traced<A extends unknown[], R>(tracer: Tracer, name: string, fn: (...args: A) => R): (...args: A) => R;

export interface MetricPoint {
  readonly name: string;
  readonly kind: "counter" | "histogram";
  readonly value: number;
  readonly buckets?: readonly number[];
}

export declare class Counter {
  /** Throws a RangeError for a negative value. */
  add(value: number, attributes?: Attributes): void;
}

export declare class Histogram {
  record(value: number): void;
}

export declare class Meter {
  constructor(serviceName: string);
  counter(name: string, options?: { unit?: string }): Counter;
  histogram(name: string, boundaries: readonly number[]): Histogram;
  collect(): MetricPoint[];
}

export declare const VERSION: string;
`;

export const SDK_JS = `// @acme/tracer ${SDK_VERSION} (the docs corpus's fixture SDK)
let nextId = 1;
const hex = (n, width) => n.toString(16).padStart(width, "0");
const isAttributeValue = (v) =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean" || (Array.isArray(v) && v.every((x) => typeof x === "string"));

export class Span {
  #tracer;
  #start = performance.now();
  #ended = false;
  #attributes = {};
  #events = [];
  #status = { code: "unset" };
  constructor(tracer, name, options = {}) {
    this.name = name;
    this.kind = options.kind ?? "internal";
    const parent = options.parent?.context ?? options.parent;
    this.context = { traceId: parent?.traceId ?? hex(nextId * 7919, 32), spanId: hex(nextId++, 16) };
    this.parentSpanId = parent?.spanId;
    this.#tracer = tracer;
    if (options.attributes) this.setAttributes(options.attributes);
  }
  get isEnded() {
    return this.#ended;
  }
  setAttribute(key, value) {
    if (!isAttributeValue(value)) throw new TypeError(\`attribute "\${key}" must be a string, number, boolean or string[]\`);
    this.#attributes[key] = value;
    return this;
  }
  setAttributes(attributes) {
    for (const [key, value] of Object.entries(attributes)) this.setAttribute(key, value);
    return this;
  }
  addEvent(name, attributes = {}) {
    this.#events.push({ name, attributes: { ...attributes } });
    return this;
  }
  setStatus(code, message) {
    this.#status = message === undefined ? { code } : { code, message };
    return this;
  }
  recordError(error) {
    const message = error instanceof Error ? error.message : String(error);
    this.addEvent("exception", { "exception.message": message });
    return this.setStatus("error", message);
  }
  end() {
    if (this.#ended) throw new Error(\`span "\${this.name}" has already ended\`);
    this.#ended = true;
    const finished = Object.freeze({
      name: this.name,
      kind: this.kind,
      traceId: this.context.traceId,
      spanId: this.context.spanId,
      ...(this.parentSpanId ? { parentSpanId: this.parentSpanId } : {}),
      attributes: Object.freeze({ ...this.#attributes }),
      events: Object.freeze([...this.#events]),
      status: this.#status.code === "unset" ? { code: "ok" } : this.#status,
      durationMs: performance.now() - this.#start,
    });
    this.#tracer._finish(finished);
    return finished;
  }
}

export class Tracer {
  #pending = [];
  #down = false;
  constructor(options) {
    if (typeof options?.serviceName !== "string" || options.serviceName === "") throw new TypeError("Tracer: serviceName is required");
    this.serviceName = options.serviceName;
    this.resource = Object.freeze({ "service.name": options.serviceName, ...(options.resource ?? {}) });
    this.exporter = options.exporter;
    this.sampler = options.sampler;
    this.enabledInstrumentations = [];
  }
  startSpan(name, options = {}) {
    if (this.#down) throw new Error(\`Tracer "\${this.serviceName}" is shut down\`);
    return new Span(this, name, options);
  }
  startActiveSpan(name, fn) {
    const span = this.startSpan(name);
    let result;
    try {
      result = fn(span);
    } catch (error) {
      span.recordError(error);
      span.end();
      throw error;
    }
    if (result && typeof result.then === "function") {
      return result.then(
        (value) => {
          if (!span.isEnded) span.end();
          return value;
        },
        (error) => {
          span.recordError(error);
          if (!span.isEnded) span.end();
          throw error;
        },
      );
    }
    if (!span.isEnded) span.end();
    return result;
  }
  inject(span, carrier) {
    carrier.traceparent = \`00-\${span.context.traceId}-\${span.context.spanId}-01\`;
  }
  extract(carrier) {
    const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(carrier.traceparent ?? "");
    return m ? { traceId: m[1], spanId: m[2] } : undefined;
  }
  _finish(span) {
    if (this.sampler && !this.sampler.shouldSample(span.name, span.attributes)) return;
    this.#pending.push(span);
  }
  async flush() {
    const batch = this.#pending.splice(0);
    if (this.exporter && batch.length > 0) await this.exporter.export(batch);
    return batch.length;
  }
  async shutdown() {
    await this.flush();
    this.#down = true;
    await this.exporter?.shutdown?.();
  }
  static init(options) {
    if (typeof options?.apiKey !== "string" || options.apiKey === "") throw new TypeError("Tracer.init: apiKey must be a non-empty string");
    const tracer = new Tracer({ serviceName: options.serviceName ?? "unknown-service" });
    registerInstrumentations(tracer, options.instrumentors ?? []);
    return tracer;
  }
}

export class InMemoryExporter {
  spans = [];
  export(spans) {
    this.spans.push(...spans);
  }
  reset() {
    this.spans.length = 0;
  }
}

export class ConsoleExporter {
  constructor(options = {}) {
    this.prefix = options.prefix ?? "[span]";
  }
  export(spans) {
    for (const s of spans) console.log(\`\${this.prefix} \${s.name} \${s.status.code} \${s.durationMs.toFixed(1)}ms\`);
  }
}

export class BatchExporter {
  #next;
  #size;
  batches = 0;
  constructor(next, options = {}) {
    this.#next = next;
    this.#size = options.maxBatchSize ?? 64;
  }
  async export(spans) {
    for (let i = 0; i < spans.length; i += this.#size) {
      this.batches++;
      await this.#next.export(spans.slice(i, i + this.#size));
    }
  }
}

export function ratioSampler(ratio) {
  if (!(ratio >= 0 && ratio <= 1)) throw new RangeError(\`ratioSampler: ratio must be between 0 and 1, got \${ratio}\`);
  return {
    shouldSample(name) {
      let h = 0;
      for (const c of name) h = (h * 31 + c.charCodeAt(0)) % 1000;
      return h < ratio * 1000;
    },
  };
}

const instrumentation = (name, options) => ({
  name,
  options,
  enable(tracer) {
    if (tracer.enabledInstrumentations.includes(name)) throw new Error(\`instrumentation "\${name}" is already enabled on \${tracer.serviceName}\`);
    tracer.enabledInstrumentations.push(name);
  },
});
export const httpInstrumentation = (options = {}) => instrumentation("http", options);
export const queueInstrumentation = (options = {}) => instrumentation("queue", options);
export function sqlInstrumentation(options) {
  if (!["postgres", "mysql", "sqlite"].includes(options?.dialect)) throw new TypeError(\`sqlInstrumentation: unknown dialect \${options?.dialect}\`);
  return instrumentation(\`sql:\${options.dialect}\`, options);
}

export function registerInstrumentations(tracer, instrumentations) {
  for (const i of instrumentations) i.enable(tracer);
}

export function traced(tracer, name, fn) {
  return (...args) => tracer.startActiveSpan(name, () => fn(...args));
}

export class Counter {
  constructor(point) {
    this.point = point;
  }
  add(value) {
    if (value < 0) throw new RangeError(\`counter "\${this.point.name}" can only increase (got \${value})\`);
    this.point.value += value;
  }
}

export class Histogram {
  constructor(point, boundaries) {
    this.point = point;
    this.boundaries = [...boundaries].sort((a, b) => a - b);
  }
  record(value) {
    let i = this.boundaries.findIndex((b) => value <= b);
    if (i < 0) i = this.boundaries.length;
    this.point.buckets[i]++;
    this.point.value++;
  }
}

export class Meter {
  #points = [];
  constructor(serviceName) {
    this.serviceName = serviceName;
  }
  counter(name) {
    const point = { name, kind: "counter", value: 0 };
    this.#points.push(point);
    return new Counter(point);
  }
  histogram(name, boundaries) {
    const point = { name, kind: "histogram", value: 0, buckets: new Array(boundaries.length + 1).fill(0) };
    this.#points.push(point);
    return new Histogram(point, boundaries);
  }
  collect() {
    return this.#points.map((p) => ({ ...p, ...(p.buckets ? { buckets: [...p.buckets] } : {}) }));
  }
}

export const VERSION = "${SDK_VERSION}";
`;

export const SDK_PACKAGE = {
  name: SDK_NAME,
  version: SDK_VERSION,
  type: "module",
  types: "./index.d.ts",
  exports: { ".": { types: "./index.d.ts", default: "./index.js" } },
};
