// Secrets from AWS Secrets Manager or SSM Parameter Store, cached in memory.
//
//   import { get } from "./lam_secrets.mjs";
//   const password = await get("DB_PASSWORD"); // [secrets] DB_PASSWORD = "myapp/prod/DB_PASSWORD"
//
// On Lambda, lam sets DB_PASSWORD_SECRET_ARN (never the value); the value is
// fetched on first use and cached for LAM_SECRETS_TTL seconds (default 300).
// Locally, lam hands the value over in LAM_SECRET_DB_PASSWORD.

const cache = new Map();

export async function get(name) {
  const local = process.env[`LAM_SECRET_${name}`];
  if (local !== undefined) return local;
  const ttl = Number(process.env.LAM_SECRETS_TTL ?? "300") * 1000;
  const hit = cache.get(name);
  if (hit && Date.now() - hit.at < ttl) return hit.value;
  const reference = process.env[`${name}_SECRET_ARN`];
  if (!reference) throw new Error(`secret ${name} is not configured: add it under [secrets] in lam.toml`);
  const [location, key] = reference.split("#");
  let value;
  // The AWS SDK v3 is part of the Lambda Node.js runtime.
  if (location.startsWith("ssm:")) {
    const { SSMClient, GetParameterCommand } = await import("@aws-sdk/client-ssm");
    const out = await new SSMClient({}).send(new GetParameterCommand({ Name: location.slice(4), WithDecryption: true }));
    value = out.Parameter.Value;
  } else {
    const { SecretsManagerClient, GetSecretValueCommand } = await import("@aws-sdk/client-secrets-manager");
    const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: location }));
    value = out.SecretString;
  }
  if (key) value = JSON.parse(value)[key];
  cache.set(name, { value, at: Date.now() });
  return value;
}
