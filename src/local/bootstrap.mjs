// lam's Node.js bootstrap: serves a handler over the Lambda Runtime API.
//
// Started by `lam invoke --local` and `lam serve` with the function's code
// directory as the working directory and AWS_LAMBDA_RUNTIME_API set. It
// behaves as Lambda's Node.js runtime does: for nodejs20.x and nodejs22.x as
// the official runtime interface client aws-lambda-ric 3, for nodejs24.x as
// aws-lambda-ric 4. tests/conformance.rs runs a corpus of handlers through
// lam's bootstrap and the official client and requires identical results.
//
// Both: console writes Lambda's log lines (time, request id, level),
// honouring AWS_LAMBDA_LOG_FORMAT and AWS_LAMBDA_LOG_LEVEL; handler strings
// resolve as Lambda resolves them (`dir/file.a.b` walks nested exports);
// errors keep their type, a thrown string is errorType "string".
//
// nodejs20.x / 22.x: an async handler (or one returning a promise) answers
// what its promise settles to; any other handler answers through its
// callback or context.succeed/fail/done, and null when the event loop
// drains without one (so does a promise that never settles); callbacks wait
// for an empty event loop unless context.callbackWaitsForEmptyEventLoop is
// false; uncaught exceptions and unhandled rejections are reported and end
// the process; there is no default-export fallback.
//
// nodejs24.x: see runModern below.
//
// Node's standard library only.

import net from "node:net";
import fs from "node:fs";
import path from "node:path";
import util from "node:util";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(":");
const BASE = "/2018-06-01/runtime";
const NODE_RUNTIME = Number((process.env.AWS_EXECUTION_ENV || "").match(/nodejs(\d+)/)?.[1] || 0);
// Node.js 24 runtimes removed callback handlers and the context methods that
// went with them (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html).
const NO_CALLBACKS = NODE_RUNTIME >= 24;

// Where the runtime keeps the current ids and the beforeExit action: global
// symbols, which libraries such as Powertools read too.
const REQUEST_ID = Symbol.for("aws.lambda.runtime.requestId");
const TENANT_ID = Symbol.for("aws.lambda.runtime.tenantId");
const BEFORE_EXIT = Symbol.for("aws.lambda.beforeExit");
const STREAMING = Symbol.for("aws.lambda.runtime.handler.streaming");

// --- the Runtime API ------------------------------------------------------
//
// HTTP/1.1 over one kept-alive socket, one request at a time (node:http
// costs about 10 ms of every cold start). The socket holds the event loop
// open only while a request is in flight, as an idle keep-alive socket of
// node:http's agent does not: a drained loop is how a handler that never
// answers is detected.

let connection = null;
let queue = Promise.resolve();

function connect() {
  const socket = net.createConnection({ host, port: Number(port) });
  socket.setNoDelay(true);
  const state = { socket, buffer: Buffer.alloc(0), waiting: null };
  const fail = (err) => {
    if (connection === state) connection = null;
    const waiting = state.waiting;
    state.waiting = null;
    waiting?.reject(err);
  };
  socket.on("data", (chunk) => {
    state.buffer = Buffer.concat([state.buffer, chunk]);
    const parsed = parseResponse(state.buffer);
    if (!parsed || !state.waiting) return;
    state.buffer = state.buffer.subarray(parsed.length);
    const waiting = state.waiting;
    state.waiting = null;
    socket.unref();
    waiting.resolve(parsed.response);
  });
  socket.on("error", fail);
  socket.on("close", () => fail(new Error("the Runtime API closed the connection")));
  return state;
}

// A complete response at the start of `buffer`, with its length.
function parseResponse(buffer) {
  const end = buffer.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const lines = buffer.subarray(0, end).toString("utf8").split("\r\n");
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers["content-length"] || 0);
  if (buffer.length < end + 4 + length) return null;
  const body = Buffer.from(buffer.subarray(end + 4, end + 4 + length));
  return { length: end + 4 + length, response: { headers, body } };
}

function send(method, urlPath, payload, headers) {
  return new Promise((resolve, reject) => {
    if (!connection || connection.socket.destroyed) connection = connect();
    const state = connection;
    state.waiting = { resolve, reject };
    state.socket.ref();
    let head = `${method} ${BASE}${urlPath} HTTP/1.1\r\nHost: ${host}:${port}\r\nContent-Length: ${payload.length}\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    state.socket.write(Buffer.concat([Buffer.from(head + "\r\n"), payload]));
  });
}

function request(method, urlPath, body, headers = {}) {
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
  const turn = queue.then(() => send(method, urlPath, payload, headers));
  queue = turn.catch(() => {});
  return turn;
}

// A result as JSON (undefined is null). What cannot be stringified is an
// Error, or the modern runtime's own type for it.
function serialise(value, Failure = Error) {
  try {
    return JSON.stringify(value === undefined ? null : value);
  } catch {
    throw new Failure("Unable to stringify response body");
  }
}

function postResponse(id, value) {
  const body = serialise(value);
  return request("POST", `/invocation/${encodeURIComponent(id)}/response`, body, {
    "Content-Type": "application/json",
  });
}

function postError(urlPath, error) {
  const doc = errorDocument(error);
  return request("POST", urlPath, serialise(doc), {
    "Content-Type": "application/json",
    "Lambda-Runtime-Function-Error-Type": doc.errorType,
  });
}

// --- errors ---------------------------------------------------------------

class RuntimeError extends Error {}
function runtimeError(kind) {
  const type = class extends RuntimeError {};
  Object.defineProperty(type, "name", { value: kind });
  type.prototype.name = `Runtime.${kind}`;
  return type;
}
const ImportModuleError = runtimeError("ImportModuleError");
const HandlerNotFound = runtimeError("HandlerNotFound");
const MalformedHandlerName = runtimeError("MalformedHandlerName");
const UserCodeSyntaxError = runtimeError("UserCodeSyntaxError");
const UnhandledPromiseRejection = runtimeError("UnhandledPromiseRejection");

function looksLikeError(value) {
  return (
    value &&
    typeof value.name === "string" &&
    typeof value.message === "string" &&
    typeof value.stack === "string" &&
    value.name &&
    value.message &&
    value.stack
  );
}

// The error document Lambda's Node.js runtime posts: an Error keeps its
// name, message and stack; anything else is reported by its JS type.
function errorDocument(error) {
  const escape = (text) => text?.replaceAll("\x7F", "%7F");
  try {
    if (util.types.isNativeError(error) || looksLikeError(error)) {
      return {
        errorType: escape(error.name),
        errorMessage: escape(error.message),
        trace: escape(error.stack).split("\n"),
      };
    }
    return { errorType: typeof error, errorMessage: error.toString(), trace: [] };
  } catch {
    return {
      errorType: "handled",
      errorMessage:
        "callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack",
    };
  }
}

const asError = (value) => (value instanceof Error ? value : new Error(value));

// An error as the text log shows it: a tab, then JSON with its own fields.
function formatted(error) {
  const expand = (_key, value) => {
    if (!(value instanceof Error)) return value;
    const out = Object.assign({ errorType: value.name, errorMessage: value.message, code: value.code }, value);
    if (typeof value.stack === "string") out.stack = value.stack.split("\n");
    return out;
  };
  try {
    return "\t" + JSON.stringify(error, expand);
  } catch {
    return "\t" + JSON.stringify(errorDocument(error));
  }
}

// --- logging --------------------------------------------------------------

const JSON_LOGS = (process.env.AWS_LAMBDA_LOG_FORMAT || "").toUpperCase() === "JSON";
const LEVELS = {
  TRACE: { name: "TRACE", rank: 1 },
  DEBUG: { name: "DEBUG", rank: 2 },
  INFO: { name: "INFO", rank: 3 },
  WARN: { name: "WARN", rank: 4 },
  ERROR: { name: "ERROR", rank: 5 },
  FATAL: { name: "FATAL", rank: 6 },
};

// Errors inside a JSON log line: their type, message and stack, then their own fields.
function jsonErrors(_key, value) {
  if (!(value instanceof Error)) return value;
  return Object.assign(
    {
      errorType: value?.constructor?.name ?? "UnknownError",
      errorMessage: value.message,
      stackTrace: typeof value.stack === "string" ? value.stack.split("\n") : value.stack,
    },
    value,
  );
}

function jsonLine(time, level, params) {
  const line = { timestamp: time, level: level.name, requestId: currentRequestId() };
  const tenant = currentTenantId();
  if (tenant !== undefined && tenant !== null && tenant !== "") line.tenantId = tenant;
  if (params.length === 1) {
    line.message = params[0];
    try {
      return JSON.stringify(line, jsonErrors);
    } catch {
      line.message = util.format(line.message);
      return JSON.stringify(line);
    }
  }
  line.message = util.format(...params);
  const error = params.find((p) => p instanceof Error);
  if (error) {
    line.errorType = error?.constructor?.name ?? "UnknownError";
    line.errorMessage = error.message;
    line.stackTrace = typeof error.stack === "string" ? error.stack.split("\n") : [];
  }
  return JSON.stringify(line);
}

// Where log lines find the current ids (the modern runtime keeps them in
// its invocation store).
let currentRequestId = () => globalThis[REQUEST_ID];
let currentTenantId = () => globalThis[TENANT_ID];

// One record on one line: the runtime turns newlines inside it into \r.
function writeLog(level, message, ...params) {
  const time = new Date().toISOString();
  const text = JSON_LOGS
    ? jsonLine(time, level, [message, ...params])
    : `${time}\t${currentRequestId()}\t${level.name}\t${util.format(message, ...params)}`;
  process.stdout.write(text.replace(/\n/g, "\r") + "\n");
}

function patchConsole() {
  const threshold = LEVELS[process.env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase()] ?? LEVELS.TRACE;
  const at = (level) =>
    level.rank >= threshold.rank ? (message, ...params) => writeLog(level, message, ...params) : () => {};
  console.trace = at(LEVELS.TRACE);
  console.debug = at(LEVELS.DEBUG);
  console.info = at(LEVELS.INFO);
  console.log = console.info;
  console.warn = at(LEVELS.WARN);
  console.error = at(LEVELS.ERROR);
  console.fatal = (message, ...params) => writeLog(LEVELS.FATAL, message, ...params);
}

function logError(label, error) {
  if (JSON_LOGS) console.error(asError(error));
  else console.error(label, formatted(asError(error)));
}

// --- loading the handler --------------------------------------------------

const requireFrom = createRequire(import.meta.url);

function packageIsModule(dir) {
  if (dir.endsWith("/node_modules")) return false;
  const file = path.join(dir, "package.json");
  if (fs.existsSync(file)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(file));
      if (pkg) return pkg.type === "module";
    } catch (err) {
      console.warn(`${file} cannot be read, it will be ignored for ES module detection purposes.`, err);
      return false;
    }
  }
  return dir === "/" ? false : packageIsModule(path.resolve(dir, ".."));
}

async function loadModule(appRoot, moduleRoot, name) {
  const base = path.resolve(appRoot, moduleRoot, name);
  const required = (file) => (fs.existsSync(file) ? requireFrom(file) : undefined);
  const imported = async (file) => (fs.existsSync(file) ? await import(pathToFileURL(file).href) : undefined);
  const exact = required(base);
  if (exact) return exact;
  const esm = fs.existsSync(base + ".js") && packageIsModule(path.dirname(base + ".js"));
  if (!esm) {
    const js = required(base + ".js");
    if (js) return js;
  }
  const loaded = (esm && (await imported(base + ".js"))) || (await imported(base + ".mjs")) || required(base + ".cjs");
  if (loaded) return loaded;
  // Last, Node's own resolution (a package under node_modules).
  return requireFrom(requireFrom.resolve(name, { paths: [appRoot, moduleRoot] }));
}

async function loadHandler(appRoot, spec) {
  if (spec.includes("..")) {
    throw new MalformedHandlerName(
      `'${spec}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const file = path.basename(spec);
  const moduleRoot = spec.substring(0, spec.indexOf(file));
  const parts = file.match(/^([^.]*)\.(.*)$/);
  if (!parts) throw new MalformedHandlerName("Bad handler");
  const [, name, property] = parts;
  globalThis.awslambda = {
    streamifyResponse: (handler) => {
      handler[STREAMING] = "response";
      return handler;
    },
    HttpResponseStream,
  };
  let app;
  try {
    app = await loadModule(appRoot, moduleRoot, name);
  } catch (err) {
    if (err instanceof SyntaxError) throw new UserCodeSyntaxError(err);
    if (err.code !== undefined && err.code === "MODULE_NOT_FOUND") throw new ImportModuleError(err);
    throw err;
  }
  const handler = property.split(".").reduce((value, key) => value && value[key], app);
  if (!handler) throw new HandlerNotFound(`${spec} is undefined or not exported`);
  if (typeof handler !== "function") throw new HandlerNotFound(`${spec} is not a function`);
  return handler;
}

// Responses with an HTTP prelude (streaming handlers).
class HttpResponseStream {
  static from(stream, prelude) {
    stream.setContentType?.("application/vnd.awslambda.http-integration-response");
    const head = JSON.stringify(prelude);
    stream._onBeforeFirstWrite = (write) => {
      write(head);
      write(new Uint8Array(8));
    };
    return stream;
  }
}

// --- one invocation -------------------------------------------------------

const beforeExit = {
  set: (action) => (globalThis[BEFORE_EXIT] = action),
  reset: () => (globalThis[BEFORE_EXIT] = () => {}),
};

// The callback and the context methods, each answering once; `markDone`
// stops anything else from answering.
function answerers(id, next) {
  let answered = false;
  let waitForEmptyLoop = true;
  const fail = (err, then) => {
    logError("Invoke Error", err);
    postError(`/invocation/${encodeURIComponent(id)}/error`, err).then(then);
  };
  const complete = (result, then) => {
    if (answered) {
      console.error("Invocation has already been reported as done. Cannot call complete more than once per invocation.");
      return;
    }
    answered = true;
    postResponse(id, result).then(then);
  };
  const callback = (err, result) => {
    beforeExit.reset();
    if (err !== undefined && err !== null) fail(err, next);
    else if (!waitForEmptyLoop) complete(result, next);
    else beforeExit.set(() => setImmediate(() => complete(result, next)));
  };
  const done = (err, result) => {
    beforeExit.reset();
    if (err !== undefined && err !== null) fail(err, next);
    else complete(result, next);
  };
  const context = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      waitForEmptyLoop = value;
    },
    succeed: (result) => done(null, result),
    fail: (err) => (err === undefined || err === null ? done("handled") : done(err, null)),
    done,
  };
  let finished = false;
  const once =
    (fn) =>
    (...args) => {
      if (!finished) {
        fn(...args);
        finished = true;
      }
    };
  context.succeed = once(context.succeed);
  context.fail = once(context.fail);
  context.done = once(context.done);
  return {
    callback: once(callback),
    context,
    succeed: context.succeed,
    failed: context.fail,
    markDone: () => (answered = true),
  };
}

function parseHeader(value, name) {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new Error(`Cannot parse ${name} as json: ${err.toString()}`);
  }
}

function fillContext(context, headers) {
  if (headers["lambda-runtime-trace-id"]) process.env._X_AMZN_TRACE_ID = headers["lambda-runtime-trace-id"];
  else delete process.env._X_AMZN_TRACE_ID;
  const deadline = headers["lambda-runtime-deadline-ms"];
  return Object.assign(
    context,
    {
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    },
    {
      clientContext: parseHeader(headers["lambda-runtime-client-context"], "ClientContext"),
      identity: parseHeader(headers["lambda-runtime-cognito-identity"], "CognitoIdentity"),
      invokedFunctionArn: headers["lambda-runtime-invoked-function-arn"],
      awsRequestId: headers["lambda-runtime-aws-request-id"],
      tenantId: headers["lambda-runtime-aws-tenant-id"],
      getRemainingTimeInMillis: () => deadline - Date.now(),
    },
  );
}

const isPromise = (value) => value && value.then && typeof value.then === "function";

// What ends the process, by phase: before the first event, an init error.
// It ends even when the report cannot be delivered (lam is gone): a runtime
// must not outlive its Runtime API.
let onUncaught = (err) => postError("/init/error", err).finally(() => process.exit(129));
let onRejected = (err) => postError("/init/error", err).finally(() => process.exit(128));

function serveNext(runtime) {
  setImmediate(() => {
    invokeOnce(runtime).catch((err) => {
      console.log(`Unexpected Top Level Error: ${err.toString()}`);
      onUncaught(err);
    });
  });
}

async function invokeOnce(runtime) {
  const { headers, body } = await request("GET", "/invocation/next");
  const id = headers["lambda-runtime-aws-request-id"];
  globalThis[REQUEST_ID] = id;
  globalThis[TENANT_ID] = headers["lambda-runtime-aws-tenant-id"];
  const next = () => serveNext(runtime);
  const { callback, context, succeed, failed, markDone } = answerers(id, next);
  try {
    const errorPath = `/invocation/${encodeURIComponent(id)}/error`;
    onUncaught = (err) => postError(errorPath, err).finally(() => process.exit(129));
    onRejected = (err) => postError(errorPath, err).finally(() => process.exit(128));
    // The event loop drained and nothing answered (no callback, or a
    // promise that never settled): the answer is null.
    beforeExit.set(() => {
      markDone();
      postResponse(id, null).then(next);
    });
    const result = runtime.handler(JSON.parse(body.toString("utf8")), fillContext(context, headers), callback);
    if (isPromise(result)) {
      result.then(succeed, failed).catch(failed);
    }
  } catch (err) {
    callback(err);
  }
}

// --- nodejs20.x and nodejs22.x (aws-lambda-ric 3) -------------------------

// lam invoke --local --profile-init: where the handler's import goes. A CPU
// profile of the import (the inspector's sampling profiler, every 100 µs)
// charges each sample to the outermost code of the project that is on its
// stack: a package under node_modules, a file of the project, or the
// handler's module itself; samples with none of these are Node's own module
// loading, compiling and garbage collection. The parts go to stderr in
// `python -X importtime`'s line format, which lam reads for both languages.
async function profiled(load) {
  const module = process.env._LAM_PROFILE_INIT;
  if (!module) return load();
  delete process.env._LAM_PROFILE_INIT;
  const { Session } = await import("node:inspector");
  const session = new Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 100 });
  await post("Profiler.start");
  const began = process.hrtime.bigint();
  try {
    return await load();
  } finally {
    const spent = Number((process.hrtime.bigint() - began) / 1000n);
    const { profile } = await post("Profiler.stop");
    session.disconnect();
    const parts = profileParts(profile, module);
    let text = "import time: lam handler start\n";
    for (const [name, us] of parts) text += `import time: ${us} | ${us} | ${name}\n`;
    text += `import time: lam handler end | ${spent} | ${module}\n`;
    fs.writeSync(2, text);
  }
}

const NODE_LOADING = "(Node.js: module loading, compiling, garbage collection)";

function profileParts(profile, module) {
  const root = process.cwd() + path.sep;
  const handlerFile = path.resolve(module);
  const owner = (url) => {
    if (!url || url.startsWith("node:")) return null;
    let file = url;
    try {
      if (url.startsWith("file:")) file = fileURLToPath(url);
    } catch {
      return null;
    }
    const at = file.lastIndexOf("/node_modules/");
    if (at >= 0) {
      const rest = file.slice(at + "/node_modules/".length).split("/");
      return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
    }
    if (!file.startsWith(root)) return null;
    const withoutExt = file.replace(/\.(c|m)?js$/, "");
    return withoutExt === handlerFile ? "" : path.relative(root.slice(0, -1), file);
  };
  const parent = new Map();
  const byId = new Map();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children || []) parent.set(child, node.id);
  }
  const charged = new Map();
  const samples = profile.samples || [];
  const deltas = profile.timeDeltas || [];
  for (let i = 0; i < samples.length; i++) {
    const stack = [];
    for (let id = samples[i]; id !== undefined; id = parent.get(id)) stack.push(byId.get(id));
    stack.reverse();
    const owners = stack.map((n) => owner(n.callFrame.url)).filter((o) => o !== null);
    // The outermost owner besides the handler's module: a direct import.
    const name = owners.find((o) => o !== "") ?? (owners.length ? "" : NODE_LOADING);
    if (name === "") continue;
    charged.set(name, (charged.get(name) || 0) + Math.max(0, deltas[i + 1] ?? deltas[i] ?? 0));
  }
  return [...charged].filter(([, us]) => us > 0);
}

async function runClassic() {
  patchConsole();
  process.on("uncaughtException", (err) => {
    logError("Uncaught Exception", err);
    onUncaught(err);
  });
  process.on("unhandledRejection", (reason, promise) => {
    const err = new UnhandledPromiseRejection(reason);
    err.reason = reason;
    err.promise = promise;
    logError("Unhandled Promise Rejection", err);
    onRejected(err);
  });
  beforeExit.reset();
  process.on("beforeExit", () => globalThis[BEFORE_EXIT]());
  const handler = await profiled(() => loadHandler(process.cwd(), process.env._HANDLER));
  // The handler is called as a method of the runtime, so stack traces name
  // it `Runtime.handler` as Lambda's do.
  class Runtime {
    constructor(handler) {
      this.handler = handler;
    }
  }
  serveNext(new Runtime(handler));
}

// --- nodejs24.x (aws-lambda-ric 4) ----------------------------------------
//
// A simpler runtime: the handler is awaited (a plain return value is the
// answer), callback handlers are refused at init, the context has no
// callback methods, no process-wide error handlers are installed (an
// uncaught error ends the process), an init error is logged and reported,
// then ends the process, and log lines show "-" outside an invocation.

function modernError(className, kind, wrap = false) {
  const type = class extends Error {
    constructor(message) {
      super(wrap ? String(message) : message);
      this.name = `Runtime.${kind}`;
      if (kind === "UserCodeSyntaxError") this.stack = message.stack;
    }
  };
  Object.defineProperty(type, "name", { value: className });
  return type;
}
const Modern = {
  HandlerNotFound: modernError("HandlerNotFoundError", "HandlerNotFound"),
  MalformedHandlerName: modernError("MalformedHandlerNameError", "MalformedHandlerName"),
  ImportModule: modernError("ImportModuleError", "ImportModuleError", true),
  UserCodeSyntax: modernError("UserCodeSyntaxError", "UserCodeSyntaxError", true),
  JSONStringify: modernError("JSONStringifyError", "JSONStringifyError"),
  CallbackHandlerDeprecated: modernError("CallbackHandlerDeprecatedError", "CallbackHandlerDeprecated"),
  Platform: modernError("PlatformError", "PlatformError"),
};

const STORE_REQUEST_ID = Symbol.for("_AWS_LAMBDA_REQUEST_ID");
const STORE_TRACE_ID = Symbol.for("_AWS_LAMBDA_X_RAY_TRACE_ID");
const STORE_TENANT_ID = Symbol.for("_AWS_LAMBDA_TENANT_ID");
// The invocation store the runtime shares through awslambda.InvokeStore.
class InvokeStoreSingle {
  getRequestId() {
    return this.get(STORE_REQUEST_ID) ?? "-";
  }
  getXRayTraceId() {
    return this.get(STORE_TRACE_ID);
  }
  getTenantId() {
    return this.get(STORE_TENANT_ID);
  }
  getContext() {
    return this.currentContext;
  }
  hasContext() {
    return this.currentContext !== undefined;
  }
  get(key) {
    return this.currentContext?.[key];
  }
  set(key, value) {
    if ([STORE_REQUEST_ID, STORE_TRACE_ID, STORE_TENANT_ID].includes(key)) {
      throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    }
    this.currentContext = this.currentContext || {};
    this.currentContext[key] = value;
  }
  run(context, fn) {
    this.currentContext = context;
    return fn();
  }
}

function modernErrorDocument(error) {
  const escape = (text) => text?.replaceAll("\x7F", "%7F");
  try {
    if (error instanceof Error) {
      return {
        errorType: escape(error.name),
        errorMessage: escape(error.message),
        trace: escape(error.stack)?.split("\n") || [],
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: "handled",
      errorMessage:
        "callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack",
      trace: [],
    };
  }
}

function modernPostError(urlPath, error) {
  const doc = modernErrorDocument(error);
  return request("POST", urlPath, serialise(doc, Modern.JSONStringify), {
    "Content-Type": "application/json",
    "Lambda-Runtime-Function-Error-Type": doc.errorType,
  });
}

async function modernLoad(appRoot, spec) {
  if (spec.includes("..")) {
    throw new Modern.MalformedHandlerName(
      `'${spec}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const file = path.basename(spec);
  const moduleRoot = spec.substring(0, spec.indexOf(file)).replace(/\/$/, "");
  const parts = file.match(/^([^.]*)\.(.*)$/);
  if (!parts) throw new Modern.MalformedHandlerName("Bad handler");
  const [, name, property] = parts;
  const base = path.resolve(appRoot, moduleRoot, name);
  let app;
  try {
    for (const extension of ["", ".js", ".mjs", ".cjs"]) {
      if (fs.existsSync(base + extension)) {
        app = await import(base + extension);
        if (app) break;
      }
    }
    app ??= requireFrom(requireFrom.resolve(name, { paths: [appRoot, path.join(appRoot, moduleRoot)] }));
  } catch (err) {
    if (err instanceof SyntaxError) throw new Modern.UserCodeSyntax(err);
    if (err instanceof Error && err.code === "MODULE_NOT_FOUND") throw new Modern.ImportModule(err);
    throw err;
  }
  const find = (root) =>
    property.split(".").reduce((value, key) => (value && typeof value === "object" ? value[key] : undefined), root);
  let handler = find(app);
  if (!handler && typeof app === "object" && app !== null && "default" in app) handler = find(app.default);
  if (!handler) throw new Modern.HandlerNotFound(`${spec} is undefined or not exported`);
  if (typeof handler !== "function") throw new Modern.HandlerNotFound(`${spec} is not a function`);
  return handler;
}

function modernContext(headers) {
  const required = [
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
  ];
  const missing = required.filter((name) => !process.env[name]);
  if (missing.length > 0) throw new Modern.Platform(`Missing required environment variables: ${missing.join(", ")}`);
  const deadline = parseInt(headers["lambda-runtime-deadline-ms"], 10);
  if (isNaN(deadline)) throw new Modern.Platform("Invalid deadline timestamp");
  const json = (name) => {
    const value = headers[name];
    if (!value) return undefined;
    try {
      return JSON.parse(value);
    } catch (error) {
      throw new Modern.Platform(`Failed to parse ${name} as JSON: ${error.message}`);
    }
  };
  const context = {
    clientContext: json("lambda-runtime-client-context"),
    identity: json("lambda-runtime-cognito-identity"),
    invokedFunctionArn: headers["lambda-runtime-invoked-function-arn"],
    awsRequestId: headers["lambda-runtime-aws-request-id"],
    tenantId: headers["lambda-runtime-aws-tenant-id"],
    xRayTraceId: headers["lambda-runtime-trace-id"],
    getRemainingTimeInMillis: () => deadline - Date.now(),
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
  };
  if (headers["lambda-runtime-trace-id"]) process.env._X_AMZN_TRACE_ID = headers["lambda-runtime-trace-id"];
  else delete process.env._X_AMZN_TRACE_ID;
  return context;
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

async function runModern() {
  globalThis.awslambda = {
    ...globalThis.awslambda,
    streamifyResponse: (handler) => {
      handler[STREAMING] = "response";
      return handler;
    },
    HttpResponseStream,
  };
  const store = new InvokeStoreSingle();
  globalThis.awslambda.InvokeStore = store;
  currentRequestId = () => store.getRequestId();
  currentTenantId = () => store.getTenantId() || "";
  patchConsole();
  let handler;
  try {
    handler = await profiled(() => modernLoad(process.env.LAMBDA_TASK_ROOT || process.cwd(), process.env._HANDLER));
    if (handler.length >= 3 && !handler[STREAMING]) {
      throw new Modern.CallbackHandlerDeprecated(
        "ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.",
      );
    }
  } catch (error) {
    logError("Init Error", error);
    await modernPostError("/init/error", error);
    throw error;
  }
  // Called as a method of this processor, so stack traces name the handler
  // as Lambda's do.
  class BufferedInvokeProcessor {
    constructor(handler) {
      this.handler = handler;
    }
    async processInvoke(context, event) {
      const id = context.awsRequestId;
      try {
        const result = await this.handler(event, context);
        await nextTurn();
        await request("POST", `/invocation/${encodeURIComponent(id)}/response`, serialise(result, Modern.JSONStringify), {
          "Content-Type": "application/json",
        });
      } catch (err) {
        await nextTurn();
        logError("Invoke Error", err);
        await modernPostError(`/invocation/${encodeURIComponent(id)}/error`, err);
      }
    }
  }
  const processor = new BufferedInvokeProcessor(handler);
  for (;;) {
    const { headers, body } = await request("GET", "/invocation/next");
    const context = modernContext(headers);
    const event = JSON.parse(body.toString("utf8"));
    await store.run({ [STORE_REQUEST_ID]: context.awsRequestId, [STORE_TRACE_ID]: context.xRayTraceId }, () =>
      processor.processInvoke(context, event),
    );
  }
}

// --- start ----------------------------------------------------------------

// When lam is gone its end of the output pipes closes too: a write then
// fails with EPIPE, which would come back through the error handlers (which
// write) forever. There is nobody left to serve.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err.code === "EPIPE") process.exit(1);
  });
}

// As the official clients start: aws-lambda-ric 3 awaits its start at the
// top level (a failure is an uncaught exception, reported by the handler
// above); 4 does not (a failure is an unhandled rejection that ends the
// process).
if (NO_CALLBACKS) runModern();
else await runClassic();
