//! The pre-flight permission check: before the first change, IAM's policy
//! simulator (SimulatePrincipalPolicy) is asked whether the caller may
//! make every call the plan will make, so that a deploy refused for a
//! missing permission is refused before anything changed, with the exact
//! actions missing. The simulator weighs the principal's identity policies,
//! its permissions boundary and the organization's SCPs; it cannot see a
//! session policy, so an assumed-role session may still be refused later.
//!
//! Best effort by design: a caller who may not simulate, a principal the
//! simulator cannot take (root, a federated user), or an endpoint without
//! the operation is said and the deploy goes on, as before.

use super::{Aws, iam::Iam};
use crate::error::Cause;
use crate::plan::permissions::Need;

/// What the check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preflight {
    /// Nothing the simulator denied.
    Allowed,
    /// Denied: each action with the resource it was asked about, and
    /// whether a Deny statement says so (an explicit deny).
    Missing(Vec<(String, String, bool)>),
    /// Not checked: the credentials may not call the simulator.
    Denied,
    /// Not checked, and why (a principal it cannot take, an endpoint
    /// without it).
    Unchecked(String),
}

/// The ARN the simulator takes for the caller `arn` (GetCallerIdentity's):
/// a user as it is, an assumed-role session as its role (whose path the
/// session ARN leaves out, so the role is read). None for root and
/// federated users, which it cannot simulate.
pub async fn principal(iam: &Iam, arn: &str) -> Result<String, String> {
    let mut parts = arn.splitn(6, ':');
    let (_, _, service, _, _, resource) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next().unwrap_or_default(),
    );
    match (service, resource.split_once('/')) {
        (Some("iam"), Some(("user" | "role", _))) => Ok(arn.to_string()),
        (Some("sts"), Some(("assumed-role", rest))) => {
            let name = rest.split('/').next().unwrap_or_default();
            match iam.get(name).await {
                Ok(Some(role)) => Ok(role.arn),
                Ok(None) => Err(format!("the role {name} of this session was not found")),
                Err(e) => Err(format!("cannot read the role {name} of this session: {e}")),
            }
        }
        _ if resource == "root" => Err("the account's root user may make every call".into()),
        _ => Err(format!(
            "IAM cannot name the principal {} in a policy",
            crate::terminal::escape(arn)
        )),
    }
}

/// Asks the simulator about every need of `needs`. A need is met when the
/// action is allowed on any one of its resources.
pub async fn check(aws: &Aws, needs: &[Need]) -> Preflight {
    if needs.is_empty() {
        return Preflight::Allowed;
    }
    let arn = match aws.caller().await {
        Ok((_, arn)) => arn,
        Err(e) => return Preflight::Unchecked(format!("GetCallerIdentity failed: {e}")),
    };
    let iam = Iam::new(aws);
    let source = match principal(&iam, &arn).await {
        Ok(source) => source,
        Err(why) => return Preflight::Unchecked(why),
    };
    let mut actions: Vec<&str> = needs.iter().map(|n| n.action).collect();
    actions.sort();
    actions.dedup();
    let mut resources: Vec<&str> = needs
        .iter()
        .flat_map(|n| n.resources.iter().map(String::as_str))
        .collect();
    resources.sort();
    resources.dedup();
    let results = match iam.simulate(&source, &actions, &resources).await {
        Ok(results) => results,
        Err(e) if e.is(Cause::AccessDenied) => return Preflight::Denied,
        Err(e) => return Preflight::Unchecked(format!("the policy simulator failed: {e}")),
    };
    let mut missing = Vec::new();
    for need in needs {
        let decisions: Vec<(&String, Option<&Decision>)> = need
            .resources
            .iter()
            .map(|r| (r, decision(&results, need.action, r)))
            .collect();
        // Allowed on any one, or undecided (no answer, or a condition the
        // simulation had no value for): not refused.
        if decisions
            .iter()
            .any(|(_, d)| d.is_none_or(|d| d.allowed || d.needs_context))
        {
            continue;
        }
        let (resource, d) = decisions[0];
        missing.push((
            need.action.to_string(),
            resource.clone(),
            d.is_some_and(|d| d.explicit),
        ));
    }
    if missing.is_empty() {
        Preflight::Allowed
    } else {
        Preflight::Missing(missing)
    }
}

/// One decision of the simulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub action: String,
    /// The resource; `*` for a decision across every resource asked.
    pub resource: String,
    pub allowed: bool,
    pub explicit: bool,
    /// Denied for want of a context value a condition needs.
    pub needs_context: bool,
}

/// The decision for `action` on `resource`: the per-resource one where the
/// simulator gives it (ResourceSpecificResults; older answers, one result
/// per resource), else the action's own.
fn decision<'a>(results: &'a [Decision], action: &str, resource: &str) -> Option<&'a Decision> {
    let of_action = || {
        results
            .iter()
            .filter(move |d| d.action.eq_ignore_ascii_case(action))
    };
    of_action()
        .find(|d| d.resource == resource)
        .or_else(|| of_action().find(|d| d.resource == "*"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(action: &str, resource: &str, allowed: bool) -> Decision {
        Decision {
            action: action.into(),
            resource: resource.into(),
            allowed,
            explicit: false,
            needs_context: false,
        }
    }

    #[test]
    fn a_resources_own_decision_wins_over_the_aggregate() {
        let results = vec![
            d("iam:PassRole", "*", false),
            d("iam:PassRole", "arn:aws:iam::1:role/a", true),
            d("lambda:CreateFunction", "*", true),
        ];
        assert!(
            decision(&results, "iam:PassRole", "arn:aws:iam::1:role/a")
                .unwrap()
                .allowed
        );
        assert!(
            !decision(&results, "iam:PassRole", "arn:aws:iam::1:role/b")
                .unwrap()
                .allowed
        );
        assert!(
            decision(&results, "LAMBDA:createfunction", "x")
                .unwrap()
                .allowed
        );
        assert!(decision(&results, "sns:Subscribe", "x").is_none());
    }
}
