import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";

import { handler, items } from "../index.mjs";

const context = { awsRequestId: "test-request" };

const restEvent = (httpMethod, path, { body = null, query = null, headers = null, pathParameters = null } = {}) => ({
  httpMethod,
  path,
  headers,
  queryStringParameters: query,
  pathParameters,
  body,
  isBase64Encoded: false,
});

async function call(event) {
  const result = await handler(event, context);
  return { status: result.statusCode, headers: result.headers, body: result.body ? JSON.parse(result.body) : null };
}

beforeEach(() => items.clear());

test("health", async () => {
  const { status, body } = await call(restEvent("GET", "/"));
  assert.equal(status, 200);
  assert.equal(body.status, "ok");
});

test("create then read", async () => {
  const created = await call(restEvent("POST", "/items", { body: JSON.stringify({ name: " pen " }) }));
  assert.equal(created.status, 201);
  assert.deepEqual(created.body, { id: "1", name: "pen" });
  const got = await call(restEvent("GET", "/items/1", { pathParameters: { id: "1" } }));
  assert.equal(got.body.name, "pen");
  const list = await call(restEvent("GET", "/items"));
  assert.deepEqual(list.body.items, [created.body]);
});

test("bad bodies are 400", async () => {
  for (const body of [null, "", "{not json", "[1,2]", JSON.stringify({ name: "" })]) {
    const { status } = await call(restEvent("POST", "/items", { body }));
    assert.equal(status, 400, `body ${body}`);
  }
});

test("bad query is 400, unknown paths 404, wrong methods 405", async () => {
  assert.equal((await call(restEvent("GET", "/items", { query: { limit: "many" } }))).status, 400);
  assert.equal((await call(restEvent("GET", "/items/9", { pathParameters: { id: "9" } }))).status, 404);
  assert.equal((await call(restEvent("GET", "/nope"))).status, 404);
  assert.equal((await call(restEvent("DELETE", "/items"))).status, 405);
});

test("preflight and CORS headers", async () => {
  const { status, headers, body } = await call(restEvent("OPTIONS", "/items", { headers: { Origin: "https://app.example" } }));
  assert.equal(status, 204);
  assert.equal(body, null);
  assert.equal(headers["Access-Control-Allow-Origin"], "*");
});

test("HTTP API events work too", async () => {
  const event = {
    version: "2.0",
    rawPath: "/items",
    requestContext: { http: { method: "POST" } },
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "cup" }),
    isBase64Encoded: false,
  };
  const { status, body } = await call(event);
  assert.equal(status, 201);
  assert.equal(body.name, "cup");
});
