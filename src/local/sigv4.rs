//! AWS Signature Version 4, verified: `lam serve`'s Invoke API checks that a
//! request was signed with the credentials lam itself resolved, as every
//! AWS SDK and the AWS CLI sign their requests. A web page cannot produce
//! such a signature without the secret key.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// The credentials requests must be signed with.
#[derive(Clone)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({}, ********)", self.access_key_id)
    }
}

/// What a request carries, as received.
#[derive(Clone, Copy)]
pub struct Signed<'a> {
    pub method: &'a str,
    /// The path as sent (percent-encoded once).
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// How far a request's X-Amz-Date may be from lam's clock. AWS refuses a
/// request "more than five minutes" from its own time ("Elements of an AWS
/// API request signature", IAM User Guide); a captured request cannot be
/// replayed after that.
pub const SKEW: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// The time an X-Amz-Date (`20150830T123600Z`) names.
fn parse_amz_date(text: &str) -> Option<std::time::SystemTime> {
    if text.len() != 16 || !text.ends_with('Z') || text.as_bytes().get(8) != Some(&b'T') {
        return None;
    }
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &text[0..4],
        &text[4..6],
        &text[6..8],
        &text[9..11],
        &text[11..13],
        &text[13..15]
    );
    let ts: jiff::Timestamp = iso.parse().ok()?;
    let seconds = u64::try_from(ts.as_second()).ok()?;
    Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds))
}

/// RFC 3986 encoding of everything but the unreserved characters.
fn uri_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        let unreserved = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
        if unreserved || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Why the request's signature does not hold, or None when it does.
pub fn verify(req: &Signed<'_>, creds: &Credentials, now: std::time::SystemTime) -> Option<String> {
    let auth = header(req.headers, "authorization")?;
    let Some(fields) = auth.strip_prefix("AWS4-HMAC-SHA256 ") else {
        return Some("the request is not signed with AWS Signature V4".into());
    };
    let field = |name: &str| {
        fields
            .split(',')
            .map(str::trim)
            .find_map(|f| f.strip_prefix(name)?.strip_prefix('='))
    };
    let (Some(credential), Some(signed_headers), Some(signature)) = (
        field("Credential"),
        field("SignedHeaders"),
        field("Signature"),
    ) else {
        return Some("the Authorization header is not a SigV4 one".into());
    };
    let mut scope = credential.splitn(2, '/');
    let (Some(key_id), Some(scope)) = (scope.next(), scope.next()) else {
        return Some("the credential scope is malformed".into());
    };
    if key_id != creds.access_key_id {
        return Some(format!(
            "signed with access key {key_id}, not with the credentials lam serve runs with"
        ));
    }
    let Some(date) = header(req.headers, "x-amz-date") else {
        return Some("X-Amz-Date is missing".into());
    };
    let Some(signed_at) = parse_amz_date(date) else {
        return Some("X-Amz-Date is not a date of the form 20150830T123600Z".into());
    };
    let apart = now
        .duration_since(signed_at)
        .or_else(|e| Ok::<_, ()>(e.duration()))
        .unwrap_or_default();
    if apart > SKEW {
        return Some(format!(
            "the request was signed at {date}, more than 5 minutes from lam's clock (a replay, or a clock that is off)"
        ));
    }
    let mut parts = scope.split('/');
    let (Some(day), Some(region), Some(service), Some("aws4_request"), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Some("the credential scope is not <date>/<region>/<service>/aws4_request".into());
    };
    if !date.starts_with(day) {
        return Some("the credential scope's date is not X-Amz-Date's".into());
    }
    if !signed_headers.split(';').any(|h| h == "host") {
        return Some("the signature does not cover the Host header".into());
    }
    if let Some(token) = &creds.session_token
        && header(req.headers, "x-amz-security-token") != Some(token.as_str())
    {
        return Some("the session token is not the one lam serve runs with".into());
    }

    // The canonical request (SigV4: non-S3 services encode the path twice).
    let canonical_uri = req
        .path
        .split('/')
        .map(|segment| uri_encode(segment, false))
        .collect::<Vec<_>>()
        .join("/");
    let mut query: Vec<(String, String)> = req
        .query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let decode = |s: &str| crate::local::apigw::percent_decode(s);
            (uri_encode(&decode(k), false), uri_encode(&decode(v), false))
        })
        .collect();
    query.sort();
    let canonical_query = query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut canonical_headers = String::new();
    for name in signed_headers.split(';') {
        let values: Vec<String> = req
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    // The body is what was signed: a declared hash must be the body's
    // (an unsigned payload is not taken), else the body's own is used.
    let payload_hash = sha256_hex(req.body);
    if let Some(declared) = header(req.headers, "x-amz-content-sha256")
        && !declared.eq_ignore_ascii_case(&payload_hash)
    {
        return Some("X-Amz-Content-Sha256 is not the body's hash".into());
    }
    let canonical = format!(
        "{}\n{canonical_uri}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{payload_hash}",
        req.method
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{date}\n{scope}\n{}",
        sha256_hex(canonical.as_bytes())
    );
    // The signing key and the comparison come from the SDK's own signer
    // and the hmac crate (constant time), not from code of lam's.
    let key = aws_sigv4::sign::v4::generate_signing_key(
        &creds.secret_access_key,
        signed_at,
        region,
        service,
    );
    let Some(given) = unhex(signature) else {
        return Some("the signature is not hexadecimal".into());
    };
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_ref()) else {
        return Some("the signing key is unusable".into());
    };
    mac.update(string_to_sign.as_bytes());
    mac.verify_slice(&given)
        .err()
        .map(|_| "the signature does not match the credentials lam serve runs with".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aws_documentation_example_verifies() {
        // The GET example of AWS's "Signature Version 4 test suite"
        // (get-vanilla): credentials AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY.
        let creds = Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
        };
        let headers = vec![
            ("Host".to_string(), "example.amazonaws.com".to_string()),
            ("X-Amz-Date".to_string(), "20150830T123600Z".to_string()),
            (
                "Authorization".to_string(),
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31".to_string(),
            ),
        ];
        let req = Signed {
            method: "GET",
            path: "/",
            query: "",
            headers: &headers,
            body: b"",
        };
        let signed_at = parse_amz_date("20150830T123600Z").unwrap();
        assert_eq!(verify(&req, &creds, signed_at), None);
        let wrong = Credentials {
            secret_access_key: "not-the-key".into(),
            ..creds.clone()
        };
        assert!(
            verify(&req, &wrong, signed_at)
                .unwrap()
                .contains("does not match")
        );
        let other = Credentials {
            access_key_id: "AKIDOTHER".into(),
            ..creds.clone()
        };
        assert!(
            verify(&req, &other, signed_at)
                .unwrap()
                .contains("AKIDEXAMPLE")
        );

        // Replayed six minutes later, or presented with a clock six minutes
        // behind: refused; four minutes either way: taken.
        let minutes = |m: u64| std::time::Duration::from_secs(60 * m);
        assert!(
            verify(&req, &creds, signed_at + minutes(6))
                .unwrap()
                .contains("5 minutes")
        );
        assert!(
            verify(&req, &creds, signed_at - minutes(6))
                .unwrap()
                .contains("5 minutes")
        );
        assert_eq!(verify(&req, &creds, signed_at + minutes(4)), None);
        assert_eq!(verify(&req, &creds, signed_at - minutes(4)), None);

        // Another body under the same signature.
        let swapped = Signed {
            body: b"{\"other\": 1}",
            ..req
        };
        assert!(
            verify(&swapped, &creds, signed_at)
                .unwrap()
                .contains("does not match")
        );
        // A declared hash that is not the body's.
        let mut declared = headers.clone();
        declared.push(("X-Amz-Content-Sha256".into(), sha256_hex(b"{}")));
        let lying = Signed {
            headers: &declared,
            ..req
        };
        assert!(
            verify(&lying, &creds, signed_at)
                .unwrap()
                .contains("body's hash")
        );
        // A signature that leaves Host out.
        let hostless: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.replace("SignedHeaders=host;x-amz-date", "SignedHeaders=x-amz-date"),
                )
            })
            .collect();
        let hostless = Signed {
            headers: &hostless,
            ..req
        };
        assert!(
            verify(&hostless, &creds, signed_at)
                .unwrap()
                .contains("Host")
        );
    }
}
