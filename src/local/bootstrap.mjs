// lam's Node.js bootstrap: serves a handler over the Lambda Runtime API.
//
// Started by `lam invoke --local` and `lam serve` with the function's code
// directory as the working directory and AWS_LAMBDA_RUNTIME_API set. It
// imports the module named by _HANDLER (.js, .mjs or .cjs), then loops: GET
// the next event, call the handler (async, promise or callback style) with a
// context like Lambda's, POST the result or the error. Node's standard
// library only.

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(":");
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const BASE = "/2018-06-01/runtime";
let currentRequestId = null;

function request(method, urlPath, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(body);
    const req = http.request(
      {
        host,
        port,
        method,
        agent,
        path: BASE + urlPath,
        headers: payload ? { ...headers, "Content-Length": payload.length } : headers,
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on("socket", (socket) => socket.setNoDelay(true));
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

function errorPayload(err, errorType) {
  const e = err instanceof Error ? err : new Error(String(err));
  return JSON.stringify({
    errorType: errorType || e.name || "Error",
    errorMessage: e.message,
    trace: (e.stack || "").split("\n"),
  });
}

async function post(urlPath, body, errorType) {
  const headers = { "Content-Type": "application/json" };
  if (errorType) headers["Lambda-Runtime-Function-Error-Type"] = errorType;
  await request("POST", urlPath, body, headers);
}

async function initError(err, errorType, message) {
  process.stderr.write(`[ERROR] ${errorType}: ${message}\n`);
  const e = new Error(message);
  e.stack = err && err.stack ? err.stack : e.stack;
  await post("/init/error", errorPayload(e, errorType), errorType);
  process.exit(1);
}

async function loadHandler(spec) {
  const dot = spec.lastIndexOf(".");
  const modulePath = spec.slice(0, dot);
  const name = spec.slice(dot + 1);
  const root = process.env.LAMBDA_TASK_ROOT || process.cwd();
  const file = [".js", ".mjs", ".cjs"]
    .map((ext) => path.resolve(root, modulePath + ext))
    .find((candidate) => fs.existsSync(candidate));
  if (!file) {
    return initError(null, "Runtime.ImportModuleError", `Error: Cannot find module '${modulePath}'`);
  }
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    const type = err instanceof SyntaxError ? "Runtime.UserCodeSyntaxError" : "Runtime.ImportModuleError";
    return initError(err, type, `${err.name}: ${err.message}`);
  }
  const handler = mod[name] ?? mod.default?.[name];
  if (typeof handler !== "function") {
    return initError(null, "Runtime.HandlerNotFound", `${spec} is undefined or not exported`);
  }
  return handler;
}

function makeContext(headers) {
  const deadline = Number(headers["lambda-runtime-deadline-ms"] || 0);
  const parse = (value) => (value ? JSON.parse(value) : undefined);
  return {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    awsRequestId: headers["lambda-runtime-aws-request-id"],
    invokedFunctionArn: headers["lambda-runtime-invoked-function-arn"],
    identity: parse(headers["lambda-runtime-cognito-identity"]),
    clientContext: parse(headers["lambda-runtime-client-context"]),
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

function call(handler, event, context) {
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const callback = (err, value) => (err ? reject(err) : resolve(value));
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === "function") returned.then(resolve, reject);
    });
  }
  return Promise.resolve().then(() => handler(event, context));
}

async function fatal(err) {
  const type = err?.name || "Error";
  process.stderr.write(`[ERROR] Uncaught ${type}: ${err?.message ?? err}\n`);
  if (currentRequestId) {
    await post(`/invocation/${currentRequestId}/error`, errorPayload(err), type).catch(() => {});
  }
  process.exit(1);
}

process.on("uncaughtException", fatal);
process.on("unhandledRejection", fatal);

const handler = await loadHandler(process.env._HANDLER);
for (;;) {
  const { headers, body } = await request("GET", "/invocation/next");
  const requestId = headers["lambda-runtime-aws-request-id"];
  currentRequestId = requestId;
  let event;
  try {
    event = body.length ? JSON.parse(body.toString("utf8")) : null;
  } catch (err) {
    await post(`/invocation/${requestId}/error`, errorPayload(err, "Runtime.UnmarshalError"), "Runtime.UnmarshalError");
    continue;
  }
  // A handler whose promise never settles must time out, as on Lambda, not
  // let Node exit on an empty event loop: hold it open while the handler runs.
  const keepAlive = setInterval(() => {}, 1 << 30);
  try {
    const result = await call(handler, event, makeContext(headers));
    const payload = JSON.stringify(result === undefined ? null : result);
    await post(`/invocation/${requestId}/response`, payload);
  } catch (err) {
    const type = err?.name || "Error";
    process.stderr.write(`[ERROR] ${type}: ${err?.message ?? err}\n`);
    await post(`/invocation/${requestId}/error`, errorPayload(err), type);
  } finally {
    clearInterval(keepAlive);
  }
  currentRequestId = null;
}
