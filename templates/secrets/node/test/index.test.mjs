import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";

import { handler } from "../index.mjs";

const context = { awsRequestId: "test-request" };

test("signs with the secret and never returns it", async () => {
  process.env.LAM_SECRET_SIGNING_KEY = "k3y";
  const result = await handler({ body: '{"order": 1}' }, context);
  const expected = createHmac("sha256", "k3y").update('{"order": 1}').digest("hex");
  assert.equal(result.statusCode, 200);
  assert.deepEqual(JSON.parse(result.body), { signature: expected });
  assert.ok(!result.body.includes("k3y"));
});

test("a missing secret is a 503, not a crash", async () => {
  delete process.env.LAM_SECRET_SIGNING_KEY;
  delete process.env.SIGNING_KEY_SECRET_ARN;
  const result = await handler({ body: "x" }, context);
  assert.equal(result.statusCode, 503);
});
