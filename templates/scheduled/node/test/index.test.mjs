import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

import { handler } from "../index.mjs";

const context = { awsRequestId: "test-request" };

test("a scheduled event sets the window", async () => {
  const event = JSON.parse(await readFile(new URL("../events/scheduled.json", import.meta.url), "utf8"));
  const result = await handler(event, context);
  assert.equal(result.until, "2026-01-01T00:15:00.000Z");
  assert.equal(result.since, "2026-01-01T00:00:00.000Z");
  assert.equal(result.processed, 0);
});

test("a malformed event falls back to now", async () => {
  const result = await handler({ time: "yesterday" }, context);
  assert.ok(result.since < result.until);
  assert.equal((await handler(null, context)).processed, 0);
});
