// Structured logging: one JSON line per call, which CloudWatch Logs Insights
// and `lam logs` read field by field.
//
//   import { getLogger } from "./lam_log.mjs";
//   const log = getLogger("orders");
//   log.info("order stored", { orderId, items: 3 });

const LEVELS = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };
let requestId;

/** Call at the top of the handler so every line carries the request id. */
export function setRequestId(context) {
  requestId = context?.awsRequestId;
}

export function getLogger(name = "app") {
  const threshold = LEVELS[(process.env.LOG_LEVEL || "INFO").toUpperCase()] ?? 20;
  const write = (level, message, fields = {}) => {
    if (LEVELS[level] < threshold) return;
    const record = { timestamp: new Date().toISOString(), level, message, logger: name };
    if (requestId) record.request_id = requestId;
    process.stdout.write(JSON.stringify({ ...record, ...fields }) + "\n");
  };
  return {
    debug: (m, f) => write("DEBUG", m, f),
    info: (m, f) => write("INFO", m, f),
    warn: (m, f) => write("WARN", m, f),
    error: (m, f) => write("ERROR", m, f),
  };
}
