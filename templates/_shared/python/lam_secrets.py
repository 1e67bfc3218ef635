"""Secrets from AWS Secrets Manager or SSM Parameter Store, cached in memory.

    from lam_secrets import get
    password = get("DB_PASSWORD")   # [secrets] DB_PASSWORD = "myapp/prod/DB_PASSWORD"

On Lambda, lam sets DB_PASSWORD_SECRET_ARN (never the value) and grants the
function's role access to exactly that secret; the value is fetched on first
use and cached for LAM_SECRETS_TTL seconds (default 300), so warm invokes
make no call. In `lam invoke --local` and `lam serve`, lam resolves the value
with your own credentials (or takes it from .env) and hands it over in
LAM_SECRET_DB_PASSWORD.
"""

import json
import os
import time

_CACHE = {}


def get(name):
    local = os.environ.get(f"LAM_SECRET_{name}")
    if local is not None:
        return local
    ttl = float(os.environ.get("LAM_SECRETS_TTL", "300"))
    hit = _CACHE.get(name)
    if hit is not None and time.monotonic() - hit[1] < ttl:
        return hit[0]
    reference = os.environ.get(f"{name}_SECRET_ARN")
    if not reference:
        raise KeyError(f"secret {name} is not configured: add it under [secrets] in lam.toml")
    location, _, key = reference.partition("#")
    import boto3  # part of the Lambda Python runtime

    if location.startswith("ssm:"):
        response = boto3.client("ssm").get_parameter(Name=location[4:], WithDecryption=True)
        value = response["Parameter"]["Value"]
    else:
        value = boto3.client("secretsmanager").get_secret_value(SecretId=location)["SecretString"]
    if key:
        value = json.loads(value)[key]
    _CACHE[name] = (value, time.monotonic())
    return value
