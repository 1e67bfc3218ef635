//! AWS Signature Version 4, verified: `lam serve`'s Invoke API checks that a
//! request was signed with the credentials lam itself resolved, as every
//! AWS SDK and the AWS CLI sign their requests. A web page cannot produce
//! such a signature without the secret key.

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

/// HMAC-SHA256 (RFC 2104).
fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    const BLOCK: usize = 64;
    let mut k = if key.len() > BLOCK {
        Sha256::digest(key).to_vec()
    } else {
        key.to_vec()
    };
    k.resize(BLOCK, 0);
    let inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    let outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    let mut h = Sha256::new();
    h.update(&inner);
    h.update(data);
    let inner_hash = h.finalize();
    let mut h = Sha256::new();
    h.update(&outer);
    h.update(inner_hash);
    h.finalize().to_vec()
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
pub fn verify(req: &Signed<'_>, creds: &Credentials) -> Option<String> {
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
    let payload_hash = header(req.headers, "x-amz-content-sha256")
        .map(str::to_string)
        .unwrap_or_else(|| sha256_hex(req.body));
    let canonical = format!(
        "{}\n{canonical_uri}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{payload_hash}",
        req.method
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{date}\n{scope}\n{}",
        sha256_hex(canonical.as_bytes())
    );
    let mut key = format!("AWS4{}", creds.secret_access_key).into_bytes();
    for part in scope.split('/') {
        key = hmac(&key, part.as_bytes());
    }
    let expected = hex(&hmac(&key, string_to_sign.as_bytes()));
    (expected != signature)
        .then(|| "the signature does not match the credentials lam serve runs with".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        // RFC 4231, test case 2.
        assert_eq!(
            hex(&hmac(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

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
        assert_eq!(verify(&req, &creds), None);
        let wrong = Credentials {
            secret_access_key: "not-the-key".into(),
            ..creds.clone()
        };
        assert!(verify(&req, &wrong).unwrap().contains("does not match"));
        let other = Credentials {
            access_key_id: "AKIDOTHER".into(),
            ..creds
        };
        assert!(verify(&req, &other).unwrap().contains("AKIDEXAMPLE"));
    }
}
