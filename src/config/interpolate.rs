//! `${VAR}` and `${VAR:-default}` in lam.toml's env values, filled in from
//! the shell's environment when a command runs the function (deploy, local
//! runs, `lam env list` / `diff`). `$${` writes a literal `${`.

use std::collections::BTreeMap;

/// One `${VAR}` with no value and no default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unset {
    pub key: String,
    pub var: String,
}

/// Expands one value. Returns the name of the first unset variable.
pub fn expand(value: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(literal) = after.strip_prefix("${") {
            out.push_str("${");
            rest = literal;
            continue;
        }
        let Some(body) = after.strip_prefix('{') else {
            out.push('$');
            rest = after;
            continue;
        };
        let Some(end) = body.find('}') else {
            // No closing brace: not a reference, kept as written.
            out.push('$');
            rest = after;
            continue;
        };
        let inner = &body[..end];
        let (name, default) = match inner.split_once(":-") {
            Some((n, d)) => (n, Some(d)),
            None => (inner, None),
        };
        match (lookup(name).filter(|v| !v.is_empty()), default) {
            (Some(v), _) => out.push_str(&v),
            (None, Some(d)) => out.push_str(d),
            (None, None) => return Err(name.to_string()),
        }
        rest = &body[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The variables each value reads (`${VAR}` and `${VAR:-default}`), for
/// the keys that read any.
pub fn references(env: &BTreeMap<String, String>) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for (k, v) in env {
        let used = std::cell::RefCell::new(Vec::new());
        let _ = expand(v, &|name| {
            used.borrow_mut().push(name.to_string());
            Some(String::from("x"))
        });
        let used = used.into_inner();
        if !used.is_empty() {
            out.insert(k.clone(), used);
        }
    }
    out
}

/// Expands every value; lists every key whose variable is unset.
pub fn expand_all(
    env: &BTreeMap<String, String>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<BTreeMap<String, String>, Vec<Unset>> {
    let mut out = BTreeMap::new();
    let mut unset = Vec::new();
    for (k, v) in env {
        match expand(v, lookup) {
            Ok(x) => {
                out.insert(k.clone(), x);
            }
            Err(var) => unset.push(Unset {
                key: k.clone(),
                var,
            }),
        }
    }
    if unset.is_empty() {
        Ok(out)
    } else {
        Err(unset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(name: &str) -> Option<String> {
        match name {
            "HOST" => Some("db.example.com".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn variables_defaults_and_literals() {
        assert_eq!(expand("${HOST}", &lookup).unwrap(), "db.example.com");
        assert_eq!(
            expand("pg://${HOST}:5432/x", &lookup).unwrap(),
            "pg://db.example.com:5432/x"
        );
        assert_eq!(expand("${PORT:-5432}", &lookup).unwrap(), "5432");
        assert_eq!(expand("${EMPTY:-fallback}", &lookup).unwrap(), "fallback");
        assert_eq!(expand("${HOST:-other}", &lookup).unwrap(), "db.example.com");
        assert_eq!(
            expand("cost: $5, $${HOST}", &lookup).unwrap(),
            "cost: $5, ${HOST}"
        );
        assert_eq!(expand("${unclosed", &lookup).unwrap(), "${unclosed");
        assert_eq!(expand("${MISSING}", &lookup), Err("MISSING".to_string()));
    }

    #[test]
    fn every_unset_variable_is_listed() {
        let env = BTreeMap::from([
            ("A".to_string(), "${NOPE}".to_string()),
            ("B".to_string(), "${HOST}".to_string()),
            ("C".to_string(), "${ALSO_NOPE}".to_string()),
        ]);
        let err = expand_all(&env, &lookup).unwrap_err();
        assert_eq!(err.len(), 2);
        assert_eq!(
            err[0],
            Unset {
                key: "A".into(),
                var: "NOPE".into()
            }
        );
    }
}
