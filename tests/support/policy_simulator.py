"""A stand-in for IAM's policy simulator (SimulatePrincipalPolicy), which
moto does not implement, evaluated over moto's own IAM state.

It answers as IAM does for what lam's tests need: the principal is a moto
IAM user; its inline and attached managed policies (and its groups') are
evaluated for each action on each resource with IAM's core rule (an
explicit Deny wins, else an Allow, else an implicit deny), with wildcards in
Action and Resource; a statement with a Condition is not matched and its
keys are reported as missing context values, as the simulator does when it
was given none. The caller must itself be allowed iam:SimulatePrincipalPolicy
on the principal, or gets AccessDenied. Answers carry one EvaluationResult
per action with ResourceSpecificResults, the form IAM's API reference
describes ("The simulator now returns a single EvaluationResult per action,
regardless of how many resource ARNs are provided").
"""

import fnmatch
import json
import re
import urllib.parse
from xml.sax.saxutils import escape

NS = "https://iam.amazonaws.com/doc/2010-05-08/"


def _backend(account):
    from moto.iam.models import iam_backends

    return iam_backends[account]["global"]


def _as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def _documents(backend, user):
    docs = [json.loads(urllib.parse.unquote(d)) if isinstance(d, str) else d for d in user.policies.values()]
    managed = list(user.managed_policies.values())
    for group in backend.get_groups_for_user(user.name):
        docs += [json.loads(urllib.parse.unquote(d)) if isinstance(d, str) else d for d in group.policies.values()]
        managed += list(group.managed_policies.values())
    for policy in managed:
        for version in policy.versions:
            if version.is_default:
                d = version.document
                docs.append(json.loads(d) if isinstance(d, str) else d)
    return docs


def _matches(patterns, value):
    return any(fnmatch.fnmatchcase(value.lower(), p.lower()) for p in patterns)


def _evaluate(docs, action, resource):
    """(decision, missing context keys)."""
    allowed = False
    missing = []
    for doc in docs:
        for st in _as_list(doc.get("Statement")):
            if not _matches(_as_list(st.get("Action")), action):
                continue
            if not _matches(_as_list(st.get("Resource")), resource):
                continue
            if st.get("Condition"):
                for keys in st["Condition"].values():
                    missing += list(keys)
                continue
            if st.get("Effect") == "Deny":
                return "explicitDeny", []
            allowed = True
    return ("allowed" if allowed else "implicitDeny"), ([] if allowed else missing)


def _error(start_response, status, code, message):
    body = (
        f'<ErrorResponse xmlns="{NS}"><Error><Type>Sender</Type><Code>{code}</Code>'
        f"<Message>{escape(message)}</Message></Error><RequestId>lam-test</RequestId></ErrorResponse>"
    )
    start_response(f"{status} {code}", [("Content-Type", "text/xml")])
    return [body.encode()]


def simulate(environ, value, start_response):
    auth = environ.get("HTTP_AUTHORIZATION", "")
    m = re.search(r"Credential=([^/]+)/", auth)
    key = m.group(1) if m else ""
    source = value.get("PolicySourceArn", "")
    account = source.split(":")[4] if source.count(":") >= 5 else "123456789012"
    backend = _backend(account)
    caller = backend.get_user_from_access_key_id(key)
    if caller is None:
        return _error(start_response, 403, "AccessDenied", "the caller is not an IAM user of this stand-in")
    if _evaluate(_documents(backend, caller), "iam:SimulatePrincipalPolicy", source)[0] != "allowed":
        return _error(
            start_response,
            403,
            "AccessDenied",
            f"User: {caller.arn} is not authorized to perform: iam:SimulatePrincipalPolicy on resource: {source}",
        )
    name = source.rsplit("/", 1)[-1]
    if ":user/" not in source:
        return _error(start_response, 400, "InvalidInput", "this stand-in simulates IAM users only")
    try:
        user = backend.get_user(name)
    except Exception:
        return _error(start_response, 404, "NoSuchEntity", f"The user with name {name} cannot be found.")
    docs = _documents(backend, user)
    resources = _as_list(value.get("ResourceArns")) or ["*"]
    members = []
    for action in _as_list(value.get("ActionNames")):
        specifics = []
        worst = "allowed"
        order = {"allowed": 0, "implicitDeny": 1, "explicitDeny": 2}
        for resource in resources:
            decision, missing = _evaluate(docs, action, resource)
            if order[decision] > order[worst]:
                worst = decision
            ctx = "".join(f"<member>{escape(k)}</member>" for k in missing)
            specifics.append(
                f"<member><EvalResourceName>{escape(resource)}</EvalResourceName>"
                f"<EvalResourceDecision>{decision}</EvalResourceDecision>"
                f"<MatchedStatements/><MissingContextValues>{ctx}</MissingContextValues></member>"
            )
        members.append(
            f"<member><EvalActionName>{escape(action)}</EvalActionName>"
            f"<EvalDecision>{worst}</EvalDecision><MatchedStatements/><MissingContextValues/>"
            f"<ResourceSpecificResults>{''.join(specifics)}</ResourceSpecificResults></member>"
        )
    body = (
        f'<SimulatePrincipalPolicyResponse xmlns="{NS}"><SimulatePrincipalPolicyResult>'
        f"<IsTruncated>false</IsTruncated><EvaluationResults>{''.join(members)}</EvaluationResults>"
        f"</SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>lam-test</RequestId>"
        f"</ResponseMetadata></SimulatePrincipalPolicyResponse>"
    )
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [body.encode()]
