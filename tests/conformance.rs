//! The Python conformance corpus: every handler here runs through lam's
//! bootstrap and through the official runtime interface client
//! (`awslambdaric`, `--ric`) against lam's Runtime API, and everything a user
//! can see must be identical up to request ids, times and random ids: the exit
//! code, stdout (the result bytes or the error document) and stderr (the
//! handler's prints, the `logging` lines, the runtime's error lines, and
//! lam's START / END lines; REPORT lines carry measurements and are left
//! out). Each case also names text its output must contain, so a case cannot
//! pass by both clients failing the same way.
//!
//! When the two differ, lam's bootstrap changes, not the case.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::common::*;

/// One handler project and what its run must show.
struct Case {
    name: &'static str,
    /// Extra lines for `[function]` (runtime, handler, timeout, ...).
    function: &'static str,
    files: Vec<(&'static str, String)>,
    event: &'static str,
    /// Text the (normalised) stdout + stderr must contain.
    expect: Vec<&'static str>,
    /// More arguments for `lam invoke --local`.
    args: Vec<&'static str>,
    /// A Node.js handler: the reference is aws-lambda-ric.
    node: bool,
}

fn case(name: &'static str, app: &str, expect: &[&'static str]) -> Case {
    Case {
        name,
        function: "",
        files: vec![("app.py", app.to_string())],
        event: "{\"name\": \"Zoë\"}",
        expect: expect.to_vec(),
        args: Vec::new(),
        node: false,
    }
}

/// A Node.js case: `index.mjs` with handler `index.handler` on nodejs22.x.
fn node(name: &'static str, index: &str, expect: &[&'static str]) -> Case {
    Case {
        name,
        function: "runtime = \"nodejs22.x\"\nhandler = \"index.handler\"",
        files: vec![("index.mjs", index.to_string())],
        event: "{\"name\": \"Zoë\"}",
        expect: expect.to_vec(),
        args: Vec::new(),
        node: true,
    }
}

impl Case {
    fn with(mut self, function: &'static str) -> Case {
        self.function = function;
        self
    }
    fn file(mut self, name: &'static str, content: &str) -> Case {
        self.files.push((name, content.to_string()));
        self
    }
    fn args(mut self, args: &[&'static str]) -> Case {
        self.args.extend_from_slice(args);
        self
    }
    fn event(mut self, event: &'static str) -> Case {
        self.event = event;
        self
    }
}

/// What one client's run showed, normalised.
#[derive(Debug, PartialEq, Eq)]
struct Observed {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn lam_toml(function: &str) -> String {
    let mut toml = String::from("[project]\nname = \"conf\"\n[function]\n");
    let has = |key: &str| function.lines().any(|l| l.starts_with(key));
    if !has("runtime") {
        toml.push_str("runtime = \"python3.12\"\n");
    }
    if !has("handler") {
        toml.push_str("handler = \"app.handler\"\n");
    }
    if !has("timeout") {
        toml.push_str("timeout = 3\n");
    }
    toml.push_str(function);
    toml.push_str("\n[function.env]\nGREETING = \"Grüß dich\"\n");
    toml
}

/// Runs `case` through both clients at once and requires identical runs.
fn conform(case: &Case) -> Observed {
    let mut files: Vec<(&str, &str)> = case.files.iter().map(|(n, c)| (*n, c.as_str())).collect();
    files.push(("event.json", case.event));
    let dir = project(&lam_toml(case.function), &files);
    if case.node {
        let major = if case.function.contains("nodejs24") {
            4
        } else {
            3
        };
        let modules = node_ric_modules(major);
        assert!(
            modules.join("aws-lambda-ric/package.json").is_file(),
            "aws-lambda-ric is not installed in {} (bash .ci/run installs it)",
            modules.display()
        );
        std::os::unix::fs::symlink(&modules, dir.path().join("node_modules")).unwrap();
    }
    let clean = |text: &[u8]| {
        let text = normalise(&String::from_utf8_lossy(text));
        if case.node {
            normalise_node(&text)
        } else {
            text
        }
    };
    let run = |ric: bool| {
        let mut cmd = lam_offline(dir.path());
        cmd.env("LAM_PYTHON", test_python())
            .args(["invoke", "--local", "--event", "event.json"])
            .args(&case.args);
        if ric {
            cmd.arg("--ric");
        }
        let out = cmd.output().unwrap();
        Observed {
            code: out.status.code(),
            stdout: clean(&out.stdout),
            stderr: clean(&out.stderr)
                .lines()
                .filter(|l| !l.starts_with("REPORT RequestId:"))
                // The JSON format's runtimeDone and report carry durations.
                .filter(|l| {
                    !l.contains(r#""type":"platform.report""#)
                        && !l.contains(r#""type":"platform.runtimeDone""#)
                })
                // INIT_REPORT's duration is a measurement; its phase and status are kept.
                .map(|l| match l.strip_prefix("INIT_REPORT Init Duration: ") {
                    Some(rest) => rest.split_once('\t').map_or(l, |(_, tail)| tail),
                    None => l,
                })
                .collect::<Vec<_>>()
                .join("\n"),
        }
    };
    let (ours, official) = std::thread::scope(|s| {
        let ours = s.spawn(|| run(false));
        let official = run(true);
        (ours.join().unwrap(), official)
    });
    assert_eq!(
        ours, official,
        "{}: lam's bootstrap (left) differs from awslambdaric (right)",
        case.name
    );
    let all = format!("{}\n{}", ours.stdout, ours.stderr);
    for text in &case.expect {
        assert!(
            all.contains(text),
            "{}: expected {text:?} in\n{all}",
            case.name
        );
    }
    ours
}

/// Request ids, timestamps, trace ids and long random hex ids replaced by
/// placeholders, and the runtime clients' own stack frames by one marker:
/// what legitimately differs between two runs.
fn normalise(text: &str) -> String {
    without_runtime_frames(&normalise_ids(text))
}

/// A stack frame in a runtime client's own code (lam's bootstrap,
/// awslambdaric, Python's module runner) says where that client lives, which
/// differs by nature (on Lambda it is /var/runtime). Each run of such frames,
/// with its source and caret lines, becomes `<runtime frames>`, in plain
/// tracebacks, in error log lines (`\r`-separated) and inside JSON strings
/// (escaped `\n` and `\"`).
fn without_runtime_frames(text: &str) -> String {
    const RUNTIME: [&str; 3] = ["/bootstrap.py", "/awslambdaric/", "<frozen runpy>"];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut last_was_marker = false;
    while let Some(at) = rest.find("File ") {
        let (before, from) = rest.split_at(at);
        let header_end = line_end(from);
        let header = &from[..header_end];
        if !RUNTIME.iter().any(|r| header.contains(r)) {
            out.push_str(before);
            out.push_str(header);
            rest = &from[header_end..];
            if !before.trim().is_empty() {
                last_was_marker = false;
            }
            continue;
        }
        if !(last_was_marker
            && before
                .trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}')
                .is_empty())
        {
            out.push_str(before);
            out.push_str("<runtime frames>");
        }
        last_was_marker = true;
        // Drop the header, then its source line and any caret line.
        let mut after = &from[header_end..];
        for _ in 0..2 {
            let (sep, body) = split_separator(after);
            let end = line_end(body);
            let line = &body[..end];
            let is_source =
                line.starts_with("    ") || line.starts_with("\u{a0}\u{a0}\u{a0}\u{a0}");
            let is_caret =
                line.trim().chars().all(|c| c == '^' || c == '~') && !line.trim().is_empty();
            if sep.is_empty() || !(is_source || is_caret) || line.trim_start().starts_with("File ")
            {
                break;
            }
            after = &body[end..];
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Where the line starting at `text` ends: a newline, a carriage return or
/// an escaped newline in JSON.
fn line_end(text: &str) -> usize {
    ["\n", "\r", "\\n"]
        .iter()
        .filter_map(|sep| text.find(sep))
        .min()
        .unwrap_or(text.len())
}

/// The line separator at the start of `text`, and what follows it.
fn split_separator(text: &str) -> (&str, &str) {
    for sep in ["\\n", "\n", "\r"] {
        if let Some(body) = text.strip_prefix(sep) {
            return (sep, body);
        }
    }
    ("", text)
}

fn normalise_ids(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let is_hex = |c: char| c.is_ascii_hexdigit();
    let run_of = |from: usize, pred: &dyn Fn(char) -> bool| {
        chars[from..].iter().take_while(|c| pred(**c)).count()
    };
    while i < chars.len() {
        // A UUID: 8-4-4-4-12 hex digits.
        let uuid = [8, 4, 4, 4, 12].iter().try_fold(i, |at, &len| {
            let n = run_of(at, &is_hex);
            (n == len).then_some(at + len).and_then(|end| {
                if len == 12 {
                    Some(end)
                } else {
                    (chars.get(end) == Some(&'-')).then_some(end + 1)
                }
            })
        });
        if let Some(end) = uuid {
            out.push_str("<id>");
            i = end;
            continue;
        }
        // An ISO time: 2026-11-30T07:53:50(.082)Z
        let shape = "dddd-dd-ddTdd:dd:dd";
        let matches_shape = shape.chars().enumerate().all(|(k, s)| {
            chars.get(i + k).is_some_and(|c| match s {
                'd' => c.is_ascii_digit(),
                other => *c == other,
            })
        });
        if matches_shape {
            let mut end = i + shape.len();
            if chars.get(end) == Some(&'.') {
                end += 1 + run_of(end + 1, &|c: char| c.is_ascii_digit());
            }
            if chars.get(end) == Some(&'Z') {
                end += 1;
            }
            out.push_str("<time>");
            i = end;
            continue;
        }
        // A trace id's epoch part, and random hex ids (log stream, trace).
        if text_at(&chars, i, "Root=1-") {
            out.push_str("Root=1-<epoch>");
            i += 7 + run_of(i + 7, &is_hex);
            continue;
        }
        let n = run_of(i, &is_hex);
        let starts_word = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        if n >= 16 && starts_word && chars[i..i + n].iter().any(|c| c.is_ascii_alphabetic()) {
            out.push_str("<hex>");
            i += n;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// What differs by nature between lam's Node bootstrap and aws-lambda-ric:
/// the line the client's launcher prints, where each client lives, and the
/// stack frames of the clients and of Node's internals (their number depends
/// on how each client reaches the handler). Each run of such frames becomes
/// one `at <frames>`, in plain stacks, in log lines (`\r`-separated) and in
/// JSON arrays and strings.
fn normalise_node(text: &str) -> String {
    use regex::Regex;
    let launcher = Regex::new(r"(?m)^Executing '[^']*' in function directory '[^']*'\n?").unwrap();
    let place = Regex::new(
        r#"(?:file://)?/[^\s"'()\\]*?(?:\.lam/runtime/bootstrap\.mjs|aws-lambda-ric/[^\s"'()\\:]*)"#,
    )
    .unwrap();
    let frame = Regex::new(r#"(\\n|\r|\n|",")( +)at ([^\r\n"\\]*)"#).unwrap();
    let runs = Regex::new(r#"((?:\\n|\r|\n|",") +at <frames>)(?:(?:\\n|\r|\n|",") +at <frames>)+"#)
        .unwrap();
    let text = launcher.replace_all(text, "");
    let text = place.replace_all(&text, "<runtime>");
    let text = frame.replace_all(&text, |c: &regex::Captures| {
        let body = &c[3];
        if ["<runtime>", "node:", "<anonymous>"]
            .iter()
            .any(|p| body.contains(p))
        {
            format!("{}{}at <frames>", &c[1], &c[2])
        } else {
            c[0].to_string()
        }
    });
    runs.replace_all(&text, "$1").into_owned()
}

#[test]
fn the_node_normaliser_keeps_user_frames() {
    let ours = "Error: x\r    at Runtime.handler (file:///p/index.mjs:4:17)\r    at invokeOnce (file:///p/.lam/runtime/bootstrap.mjs:464:28)\r    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n";
    let official = "Error: x\r    at Runtime.handler (file:///p/index.mjs:4:17)\r    at Runtime.handleOnceNonStreaming (file:///c/node_modules/aws-lambda-ric/dist/index.mjs:1427:29)\n";
    assert_eq!(normalise_node(ours), normalise_node(official));
    assert_eq!(
        normalise_node(official),
        "Error: x\r    at Runtime.handler (file:///p/index.mjs:4:17)\r    at <frames>\n"
    );
    let json = r#"["Error: x","    at Runtime.handler (file:///p/index.mjs:4:17)","    at invokeOnce (file:///p/.lam/runtime/bootstrap.mjs:1:2)","    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)"]"#;
    assert_eq!(
        normalise_node(json),
        r#"["Error: x","    at Runtime.handler (file:///p/index.mjs:4:17)","    at <frames>"]"#
    );
    assert_eq!(
        normalise_node("Require stack:\\n- /tmp/c/node_modules/aws-lambda-ric/dist/index.mjs\""),
        "Require stack:\\n- <runtime>\""
    );
}

fn text_at(chars: &[char], at: usize, text: &str) -> bool {
    text.chars()
        .enumerate()
        .all(|(k, c)| chars.get(at + k) == Some(&c))
}

#[test]
fn the_normaliser_keeps_what_matters() {
    assert_eq!(
        normalise("START RequestId: 0e877016-3635-437f-8c4b-5b3c0621681c Version"),
        "START RequestId: <id> Version"
    );
    assert_eq!(
        normalise("[INFO]\t2026-11-30T07:53:50.157Z\tx"),
        "[INFO]\t<time>\tx"
    );
    assert_eq!(
        normalise("Root=1-6938c1a2-0123456789abcdef01234567;Sampled=0"),
        "Root=1-<epoch>-<hex>;Sampled=0"
    );
    assert_eq!(
        normalise("2026/11/30/[$LATEST]7c1b2f3e4d5a69788796a5b4c3d2e1f0"),
        "2026/11/30/[$LATEST]<hex>"
    );
    // A client's own frames, in each of the three forms.
    assert_eq!(
        normalise(
            "Traceback:\n  File \"/x/.lam/runtime/bootstrap.py\", line 5, in main\n    main()\n    ^^^^\n  File \"/p/app.py\", line 2, in handler\n    raise X\n"
        ),
        "Traceback:\n  <runtime frames>\n  File \"/p/app.py\", line 2, in handler\n    raise X\n"
    );
    assert_eq!(
        normalise(
            "[\"  File \\\"/v/awslambdaric/bootstrap.py\\\", line 178, in h\\n    response = f(e)\\n\"]"
        ),
        "[\"  <runtime frames>\\n\"]"
    );
    assert_eq!(
        normalise(
            "Traceback\r\u{a0}\u{a0}File \"/x/bootstrap.py\", line 1, in f\r\u{a0}\u{a0}\u{a0}\u{a0}f()\nEND"
        ),
        "Traceback\r\u{a0}\u{a0}<runtime frames>\nEND"
    );
    // Numbers, words and short hex stay.
    assert_eq!(
        normalise("12345678901234567890.5 deadbeef Decimal"),
        "12345678901234567890.5 deadbeef Decimal"
    );
}

fn run_all(cases: Vec<Case>) {
    assert!(!cases.is_empty());
    for case in &cases {
        conform(case);
    }
}

/// Results of every JSON-able type, and the types Lambda's encoder treats
/// specially.
#[test]
fn results() {
    run_all(vec![
        case(
            "Decimal (every DynamoDB number)",
            "from decimal import Decimal\ndef handler(e, c):\n    return {'price': Decimal('1.10'), 'big': Decimal('12345678901234567890.5'), 'exp': Decimal('1E+2'), 'neg0': Decimal('-0')}\n",
            &[r#""price": 1.10"#, "12345678901234567890.5", "1E+2"],
        ),
        case(
            "Decimal NaN",
            "from decimal import Decimal\ndef handler(e, c):\n    return [Decimal('NaN'), Decimal('Infinity')]\n",
            &["[NaN, Infinity]"],
        ),
        case(
            "float NaN and infinities",
            "def handler(e, c):\n    return {'x': float('nan'), 'y': float('inf'), 'z': float('-inf'), 'f': 0.1 + 0.2}\n",
            &["NaN", "-Infinity", "0.30000000000000004"],
        ),
        case(
            "non-ASCII text on python3.12 (written as is)",
            "def handler(e, c):\n    return {'text': 'Grüß dich ☃ 日本', 'echo': e['name']}\n",
            &["Grüß dich ☃ 日本", "Zoë"],
        ),
        case(
            "non-ASCII text on python3.11 (escaped)",
            "def handler(e, c):\n    return {'text': 'Grüß ☃'}\n",
            &[r"Gr\u00fc\u00df \u2603"],
        )
        .with("runtime = \"python3.11\""),
        case(
            "a str",
            "def handler(e, c):\n    return 'plain'\n",
            &["\"plain\""],
        ),
        case("None", "def handler(e, c):\n    return None\n", &["null"]),
        case(
            "an int",
            "def handler(e, c):\n    return 10 ** 30\n",
            &["1000000000000000000000000000000"],
        ),
        case(
            "a bool",
            "def handler(e, c):\n    return False\n",
            &["false"],
        ),
        case(
            "nested containers and tuples",
            "def handler(e, c):\n    return {'a': [1, 2.5, True, None, {'b': (1, 2)}], 'empty': {}}\n",
            &[r#"{"b": [1, 2]}"#],
        ),
        case(
            "non-string keys",
            "def handler(e, c):\n    return {1: 'a', 1.5: 'b', None: 'c', False: 'd'}\n",
            &[r#""1": "a""#, r#""null": "c""#, r#""false": "d""#],
        ),
        case(
            "a namedtuple is an object",
            "import collections\nP = collections.namedtuple('P', 'x y')\ndef handler(e, c):\n    return {'p': P(1, [P(2, 3)])}\n",
            &[r#"{"p": {"x": 1, "y": [{"x": 2, "y": 3}]}}"#],
        ),
        case(
            "bytes inside a result are UTF-8 text",
            "def handler(e, c):\n    return {b'key': b'value', 'list': [b'\\xc3\\xa9']}\n",
            &[r#"{"key": "value", "list": ["é"]}"#],
        ),
        case(
            "a bytes result is sent as it is",
            "def handler(e, c):\n    return b'raw \\x01 bytes'\n",
            &["raw \u{1} bytes"],
        ),
        case(
            "an API Gateway response",
            "import json\ndef handler(e, c):\n    return {'statusCode': 200, 'headers': {'Content-Type': 'application/json'}, 'body': json.dumps({'ok': True})}\n",
            &[r#""statusCode": 200"#, r#""body": "{\"ok\": true}""#],
        ),
        case(
            "an IntEnum and a str Enum",
            "import enum\nclass N(enum.IntEnum):\n    A = 1\nclass S(str, enum.Enum):\n    X = 'x'\ndef handler(e, c):\n    return [N.A, S.X]\n",
            &["[1, \"x\"]"],
        ),
        case(
            "the event echoed back",
            "def handler(e, c):\n    return e\n",
            &[r#"{"event": [1, 2.5, "ü", null, true]}"#],
        )
        .event("{\"event\": [1, 2.5, \"ü\", null, true]}"),
        case(
            "a JSON string event",
            "def handler(e, c):\n    return type(e).__name__ + ':' + e\n",
            &["\"str:hello\""],
        )
        .event("\"hello\""),
        case(
            "a null event",
            "def handler(e, c):\n    return repr(e)\n",
            &["\"None\""],
        )
        .event("null"),
    ]);
}

/// What JSON cannot hold is a Runtime.MarshalError, reported without a trace.
#[test]
fn results_json_cannot_hold() {
    run_all(vec![
        case(
            "a datetime",
            "import datetime\ndef handler(e, c):\n    return {'when': datetime.datetime(2026, 11, 30)}\n",
            &[
                "Runtime.MarshalError",
                "Object of type datetime is not JSON serializable",
            ],
        ),
        case(
            "a set",
            "def handler(e, c):\n    return {1, 2}\n",
            &["Unable to marshal response: Object of type set is not JSON serializable"],
        ),
        case(
            "bytes that are not UTF-8",
            "def handler(e, c):\n    return [b'\\xff']\n",
            &["Runtime.MarshalError", "can't decode byte 0xff"],
        ),
        case(
            "a Decimal key",
            "from decimal import Decimal\ndef handler(e, c):\n    return {Decimal(1): 1}\n",
            &["keys must be str, int, float, bool or None, not Decimal"],
        ),
        case(
            "a circular list",
            "def handler(e, c):\n    a = []\n    a.append(a)\n    return a\n",
            &["Circular reference detected"],
        ),
        case(
            "a custom object",
            "class Thing:\n    pass\ndef handler(e, c):\n    return {'thing': Thing()}\n",
            &["Object of type Thing is not JSON serializable"],
        ),
    ]);
}

/// Exceptions in the handler keep their type, message and the user's frames.
#[test]
fn handler_exceptions() {
    run_all(vec![
        case(
            "a ValueError",
            "def handler(e, c):\n    raise ValueError('bad input')\n",
            &[
                "\"errorType\": \"ValueError\"",
                "[ERROR] ValueError: bad input\rTraceback (most recent call last):\r\u{a0}\u{a0}File",
            ],
        ),
        case(
            "a custom exception without a message",
            "class Oops(Exception):\n    pass\ndef handler(e, c):\n    raise Oops()\n",
            &["\"errorType\": \"Oops\"", "\"errorMessage\": \"\""],
        ),
        case(
            "a KeyError (its message is quoted)",
            "def handler(e, c):\n    return e['missing']\n",
            &["\"errorMessage\": \"'missing'\""],
        ),
        case(
            "an error in a helper module, three frames deep",
            "import helper\ndef handler(e, c):\n    return helper.outer()\n",
            &["helper.py", "in inner", "in outer"],
        )
        .file(
            "helper.py",
            "def inner():\n    return {}['k']\ndef outer():\n    return inner()\n",
        ),
        case(
            "a chained exception reports the last one",
            "def handler(e, c):\n    try:\n        1 / 0\n    except ZeroDivisionError as exc:\n        raise RuntimeError('wrapped') from exc\n",
            &["\"errorType\": \"RuntimeError\"", "wrapped"],
        ),
        case(
            "a message on several lines, with unicode",
            "def handler(e, c):\n    raise ValueError('first line\\nsecond ☃')\n",
            &["first line"],
        ),
        case(
            "an ImportError raised while handling is itself",
            "def handler(e, c):\n    import no_such_module_at_invoke\n",
            &["\"errorType\": \"ModuleNotFoundError\""],
        ),
        case(
            "an assert",
            "def handler(e, c):\n    assert e.get('ok'), 'needs ok'\n",
            &["\"errorType\": \"AssertionError\"", "needs ok"],
        ),
        case(
            "a handler that is not callable fails when invoked",
            "handler = {'not': 'callable'}\n",
            &["\"errorType\": \"TypeError\"", "object is not callable"],
        ),
        case(
            "a handler with the wrong signature",
            "def handler(event):\n    return 1\n",
            &["\"errorType\": \"TypeError\"", "positional argument"],
        ),
        case(
            "a lambda-shaped error from a dict",
            "def handler(e, c):\n    raise Exception({'code': 42})\n",
            &["\"errorType\": \"Exception\"", "{'code': 42}"],
        ),
    ]);
}

/// What goes wrong before the first event: the init error document, the
/// runtime's warning and error lines, and exit code 1.
#[test]
fn init_failures() {
    run_all(vec![
        case(
            "a KeyError at module scope keeps its type",
            "import os\nX = os.environ['LAM_SURELY_NOT_SET']\ndef handler(e, c):\n    return 1\n",
            &[
                "\"errorType\": \"KeyError\"",
                "LAMBDA_WARNING: Unhandled exception",
                "\"requestId\": \"\"",
            ],
        ),
        case(
            "a missing module",
            "import no_such_module_here\ndef handler(e, c):\n    return 1\n",
            &[
                "Runtime.ImportModuleError",
                "Unable to import module 'app': No module named 'no_such_module_here'",
            ],
        ),
        case(
            "a missing handler file",
            "def handler(e, c):\n    return 1\n",
            &["Runtime.ImportModuleError", "No module named 'other'"],
        )
        .with("handler = \"other.handler\""),
        case(
            "a syntax error",
            "def handler(e, c)\n    return 1\n",
            &[
                "Runtime.UserCodeSyntaxError",
                "Syntax error in module 'app'",
            ],
        ),
        case(
            "an indentation error",
            "def handler(e, c):\nreturn 1\n",
            &["Runtime.UserCodeSyntaxError", "expected an indented block"],
        ),
        case(
            "a missing function",
            "def other(e, c):\n    return 1\n",
            &[
                "Runtime.HandlerNotFound",
                "Handler 'handler' missing on module 'app'",
            ],
        ),
        case(
            "a missing function in a subpackage",
            "",
            &["Runtime.HandlerNotFound", "missing on module 'pkg/sub/mod'"],
        )
        .with("handler = \"pkg/sub/mod.nothing\"")
        .file("pkg/__init__.py", "")
        .file("pkg/sub/__init__.py", "")
        .file("pkg/sub/mod.py", "def handler(e, c):\n    return 1\n"),
        case(
            "a module that imports a broken helper",
            "import broken\ndef handler(e, c):\n    return 1\n",
            &["\"errorType\": \"ZeroDivisionError\"", "broken.py"],
        )
        .file("broken.py", "VALUE = 1 / 0\n"),
        case(
            "a module named like a built-in module",
            "def handler(e, c):\n    return 1\n",
            &[
                "Runtime.BuiltInModuleConflict",
                "Cannot use built-in module sys as a handler module",
            ],
        )
        .with("handler = \"sys.handler\""),
        case(
            "an exception raised by logging config at import",
            "import logging\nlogging.getLogger().warning('about to fail')\nraise RuntimeError('no config')\n",
            &[
                "[WARNING]\t<time>\t\tabout to fail",
                "\"errorType\": \"RuntimeError\"",
            ],
        ),
    ]);
}

/// Handlers in packages, and module state between the parts of one run.
#[test]
fn handler_locations() {
    run_all(vec![
        case("a handler in a subpackage", "", &["\"from pkg\""])
            .with("handler = \"pkg/sub/mod.handler\"")
            .file("pkg/__init__.py", "")
            .file("pkg/sub/__init__.py", "")
            .file(
                "pkg/sub/mod.py",
                "from . import helper\ndef handler(e, c):\n    return helper.NAME\n",
            )
            .file("pkg/sub/helper.py", "NAME = 'from pkg'\n"),
        // Lambda puts only the task root on the path: a handler under src/
        // cannot import its sibling as a top-level module.
        case(
            "a handler under src/ importing a sibling",
            "",
            &[
                "Runtime.ImportModuleError",
                "Unable to import module 'src/main': No module named 'sibling'",
            ],
        )
        .with("handler = \"src/main.handler\"")
        .file(
            "src/main.py",
            "import sibling\ndef handler(e, c):\n    return sibling.X\n",
        )
        .file("src/sibling.py", "X = 'sibling'\n"),
        case(
            "the task root is first on sys.path and the working directory",
            "import os, sys\ndef handler(e, c):\n    return [sys.path[0] == os.getcwd(), os.environ['LAMBDA_TASK_ROOT'] == os.getcwd(), __name__]\n",
            &["[true, true, \"app\"]"],
        ),
        case(
            "a module named like a standard-library module in the project",
            "import json\ndef handler(e, c):\n    return json.dumps([1])\n",
            &["\"[1]\""],
        ),
    ]);
}

/// What reaches the log: print, stderr, the logging module with and
/// without basicConfig, its line format, context.log.
#[test]
fn logging() {
    run_all(vec![
        case(
            "print and stderr",
            "import sys\ndef handler(e, c):\n    print('to stdout')\n    print('to stderr', file=sys.stderr)\n    sys.stdout.write('no newline')\n    return 1\n",
            &["to stdout\nto stderr\nno newline"],
        ),
        case(
            "logging at WARNING shows in Lambda's format, INFO does not",
            "import logging\nlog = logging.getLogger()\ndef handler(e, c):\n    log.warning('careful %s', 'now')\n    log.info('not shown')\n    return 1\n",
            &["[WARNING]\t<time>\t<id>\tcareful now\n"],
        ),
        case(
            "basicConfig(level=INFO) is a no-op, as on Lambda",
            "import logging\nlogging.basicConfig(level=logging.INFO, format='%(message)s')\ndef handler(e, c):\n    logging.info('info after basicConfig')\n    logging.warning('warning after basicConfig')\n    return 1\n",
            &["[WARNING]\t<time>\t<id>\twarning after basicConfig"],
        ),
        case(
            "setLevel(INFO) on the root logger shows INFO",
            "import logging\nlogging.getLogger().setLevel(logging.INFO)\ndef handler(e, c):\n    logging.getLogger('app.db').info('connected to %s', 'db')\n    return 1\n",
            &["[INFO]\t<time>\t<id>\tconnected to db"],
        ),
        case(
            "logging at module scope has no request id",
            "import logging\nlogging.warning('cold start')\ndef handler(e, c):\n    return 1\n",
            &["[WARNING]\t<time>\t\tcold start"],
        ),
        case(
            "logger.exception includes the traceback",
            "import logging\ndef handler(e, c):\n    try:\n        {}['x']\n    except KeyError:\n        logging.exception('lookup failed')\n    return 1\n",
            &["[ERROR]\t<time>\t<id>\tlookup failed\nTraceback (most recent call last):"],
        ),
        case(
            "a handler's own logging handler prints too",
            "import logging, sys\nh = logging.StreamHandler(sys.stdout)\nh.setFormatter(logging.Formatter('custom: %(message)s'))\nlog = logging.getLogger('mine')\nlog.addHandler(h)\nlog.setLevel(logging.DEBUG)\ndef handler(e, c):\n    log.debug('debug line')\n    return 1\n",
            &["custom: debug line\n"],
        ),
        case(
            "JSON-structured log lines printed by the handler",
            "import json\ndef handler(e, c):\n    print(json.dumps({'level': 'INFO', 'msg': 'hi', 'request_id': c.aws_request_id}))\n    return 1\n",
            &["{\"level\": \"INFO\", \"msg\": \"hi\", \"request_id\": \"<id>\"}"],
        ),
        case(
            "context.log writes without a newline",
            "def handler(e, c):\n    c.log('one')\n    c.log('two\\n')\n    return 1\n",
            &["onetwo\n"],
        ),
        case(
            "warnings go to stderr",
            "import warnings\ndef handler(e, c):\n    warnings.warn('old api')\n    return 1\n",
            &["UserWarning: old api"],
        ),
        case(
            "output, then an error: the order is kept",
            "import sys\ndef handler(e, c):\n    print('before')\n    sys.stderr.write('err before\\n')\n    raise ValueError('after')\n",
            &["before\nerr before\n[ERROR] ValueError: after"],
        ),
        case(
            "logging imported only inside the handler",
            "def handler(e, c):\n    import logging\n    logging.basicConfig(level=logging.DEBUG)\n    logging.warning('late import')\n    logging.info('still filtered')\n    return len(logging.getLogger().handlers)\n",
            &["[WARNING]\t<time>\t<id>\tlate import"],
        ),
        case(
            "logging pulled in by another module (asyncio)",
            "import asyncio, logging\nasync def work():\n    logging.getLogger('svc').error('from a coroutine')\n    return 'ok'\ndef handler(e, c):\n    return asyncio.run(work())\n",
            &["[ERROR]\t<time>\t<id>\tfrom a coroutine", "\"ok\""],
        ),
        case(
            "unicode in logs",
            "import logging\ndef handler(e, c):\n    print('Grüß ☃')\n    logging.warning('日本')\n    return 1\n",
            &["Grüß ☃", "\t日本"],
        ),
    ]);
}

/// `[function.logging] format = "JSON"`: lam sets AWS_LAMBDA_LOG_FORMAT and
/// AWS_LAMBDA_LOG_LEVEL as Lambda does, the runtime clients log as JSON
/// (awslambdaric's JsonFormatter is the reference), and lam writes START /
/// END / REPORT as the platform events CloudWatch holds.
#[test]
fn json_log_format() {
    const JSON: &str = "[function.logging]\nformat = \"JSON\"";
    const START: &str =
        r#"{"time":"<time>","type":"platform.start","record":{"requestId":"<id>","version":"1"}}"#;
    run_all(vec![
        case(
            "logging as JSON: levels, dict messages, extra fields, exceptions",
            "import logging\nlog = logging.getLogger()\nlog.info('cold')\ndef handler(e, c):\n    log.debug('hidden at INFO')\n    log.info({'order': 7})\n    logging.getLogger('app.db').warning('slow %s', 'query', extra={'ms': 120})\n    try:\n        {}['k']\n    except KeyError:\n        log.exception('lookup failed')\n    print('plain print')\n    return 1\n",
            &[
                r#"{"timestamp": "<time>", "level": "INFO", "message": "cold", "logger": "root", "requestId": ""}"#,
                START,
                r#""level": "INFO", "message": {"order": 7}, "logger": "root", "requestId": "<id>"}"#,
                r#""level": "WARNING", "message": "slow query", "logger": "app.db", "requestId": "<id>", "ms": 120}"#,
                r#""errorType": "KeyError", "errorMessage": "'k'""#,
                "plain print",
            ],
        )
        .with(JSON),
        case(
            "application_log_level DEBUG shows debug lines",
            "import logging\ndef handler(e, c):\n    logging.getLogger().debug('now shown')\n    return 1\n",
            &[r#""level": "DEBUG", "message": "now shown""#],
        )
        .with("[function.logging]\nformat = \"JSON\"\napplication_log_level = \"DEBUG\""),
        case(
            "application_log_level WARN hides info",
            "import logging\ndef handler(e, c):\n    logging.info('not shown')\n    logging.warning('shown')\n    return 1\n",
            &[r#""level": "WARNING", "message": "shown""#],
        )
        .with("[function.logging]\nformat = \"JSON\"\napplication_log_level = \"WARN\""),
        case(
            "a handler's exception is logged as one JSON line",
            "def handler(e, c):\n    raise ValueError('bad input')\n",
            &[r#""level": "ERROR", "errorMessage": "bad input", "errorType": "ValueError""#],
        )
        .with(JSON),
        case(
            "an init error is logged as JSON too",
            "import nothing_here\ndef handler(e, c):\n    return 1\n",
            &[r#""level": "ERROR", "errorMessage": "Unable to import module 'app': No module named 'nothing_here'""#],
        )
        .with(JSON),
        case(
            "system_log_level WARN leaves START, END and REPORT out",
            "def handler(e, c):\n    print('only this')\n    return 1\n",
            &["only this"],
        )
        .with("[function.logging]\nformat = \"JSON\"\nsystem_log_level = \"WARN\""),
        node(
            "console as JSON, filtered at the level",
            "console.info('cold');\nexport const handler = async () => {\n  console.debug('hidden at INFO');\n  console.log('log %s', 'formatted');\n  console.warn({ order: 7 });\n  console.error(new Error('shown'));\n  return 1;\n};\n",
            &[
                START,
                r#""level":"INFO","requestId":"<id>","message":"log formatted"}"#,
                r#""level":"WARN""#,
                r#""errorType":"Error","errorMessage":"shown""#,
            ],
        )
        .with("runtime = \"nodejs22.x\"\nhandler = \"index.handler\"\n[function.logging]\nformat = \"JSON\""),
        node(
            "a Node handler's error as JSON",
            "export const handler = async () => { throw new TypeError('wrong'); };\n",
            &[r#""errorType":"TypeError","errorMessage":"wrong""#],
        )
        .with("runtime = \"nodejs22.x\"\nhandler = \"index.handler\"\n[function.logging]\nformat = \"JSON\"\napplication_log_level = \"WARN\""),
    ]);
}

/// What the handler sees: the context object, its types, the environment.
#[test]
fn context_and_environment() {
    run_all(vec![
        case(
            "context attributes and their types",
            "def handler(e, c):\n    return {k: [type(getattr(c, k)).__name__, getattr(c, k)] for k in ['function_name', 'function_version', 'memory_limit_in_mb', 'log_group_name', 'log_stream_name', 'invoked_function_arn', 'aws_request_id', 'tenant_id', 'client_context']}\n",
            &[
                "\"memory_limit_in_mb\": [\"str\", \"128\"]",
                "\"function_version\": [\"str\", \"1\"]",
                "\"invoked_function_arn\": [\"str\", \"arn:aws:lambda:us-east-1:123456789012:function:conf-dev:live\"]",
                "\"tenant_id\": [\"NoneType\", null]",
                "\"log_group_name\": [\"str\", \"/aws/lambda/conf-dev\"]",
            ],
        ),
        case(
            "context.identity is always an object",
            "def handler(e, c):\n    return [type(c.identity).__name__, c.identity.cognito_identity_id, c.identity.cognito_identity_pool_id, repr(c.identity)]\n",
            &[
                "[\"CognitoIdentity\", null, null, \"CognitoIdentity([cognito_identity_id=None,cognito_identity_pool_id=None])\"]",
            ],
        ),
        case(
            "the context's repr and type",
            "def handler(e, c):\n    return [type(c).__name__, repr(c)]\n",
            &["LambdaContext([aws_request_id=<id>,log_group_name=/aws/lambda/conf-dev"],
        ),
        case(
            "remaining time counts down from the timeout",
            "import time\ndef handler(e, c):\n    a = c.get_remaining_time_in_millis()\n    time.sleep(0.05)\n    b = c.get_remaining_time_in_millis()\n    return [type(a).__name__, 2000 < a <= 3000, 40 <= a - b < 1000]\n",
            &["[\"int\", true, true]"],
        ),
        case(
            "w3c() is empty without a client context",
            "def handler(e, c):\n    return c.w3c()\n",
            &["{}"],
        ),
        case(
            "a client context from the Invoke API",
            "def handler(e, c):\n    cc = c.client_context\n    return [cc.custom, cc.env, cc.client.installation_id, cc.client.app_title, cc.client.app_version_code, repr(cc), c.w3c()]\n",
            &[
                "[{\"k\": \"v\"}, {\"locale\": \"de\"}, \"i-1\", \"shop\", null",
                "ClientContext([custom={'k': 'v'},env={'locale': 'de'},client=Client([installation_id=i-1,app_title=shop,",
                "{\"traceparent\": \"00-abc-def-01\"}",
            ],
        )
        .args(&[
            "--client-context",
            r#"{"custom": {"k": "v"}, "env": {"locale": "de"}, "client": {"installation_id": "i-1", "app_title": "shop"}, "w3c": {"traceparent": "00-abc-def-01", "tracestate": 5, "other": "x"}}"#,
        ]),
        case(
            "a tenant id",
            "import logging\nlogging.getLogger().setLevel(logging.INFO)\ndef handler(e, c):\n    logging.info('for tenant')\n    return [c.tenant_id, repr(c).endswith('tenant_id=acme-1])')]\n",
            &["[\"acme-1\", true]", "\tfor tenant"],
        )
        .args(&["--tenant-id", "acme-1"]),
        case(
            "the environment Lambda sets",
            "import os\nKEYS = ['AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_EXECUTION_ENV', 'AWS_REGION', 'AWS_DEFAULT_REGION', '_HANDLER', 'TZ', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'GREETING']\ndef handler(e, c):\n    return {k: os.environ.get(k) for k in KEYS}\n",
            &[
                "\"AWS_EXECUTION_ENV\": \"AWS_Lambda_python3.12\"",
                "\"TZ\": \":UTC\"",
                "\"GREETING\": \"Grüß dich\"",
            ],
        ),
        case(
            "_X_AMZN_TRACE_ID is set for each invoke",
            "import os\nAT_INIT = os.environ.get('_X_AMZN_TRACE_ID')\ndef handler(e, c):\n    return [AT_INIT, os.environ.get('_X_AMZN_TRACE_ID', '')[:5]]\n",
            &["[null, \"Root=\"]"],
        ),
        case(
            "the same set of environment variables",
            "import os\ndef handler(e, c):\n    return sorted(os.environ)\n",
            &["\"LAMBDA_TASK_ROOT\"", "\"_X_AMZN_TRACE_ID\""],
        ),
        case(
            "the standard streams are unbuffered wrappers",
            "import sys\ndef handler(e, c):\n    return [type(sys.stdout).__name__, sys.stdout.encoding, sys.stderr.isatty()]\n",
            &["[\"Unbuffered\", \"utf-8\", false]"],
        ),
        case(
            "time is UTC",
            "import time\ndef handler(e, c):\n    return time.strftime('%Z', time.localtime())\n",
            &["\"UTC\""],
        ),
    ]);
}

/// A handler that ends its own process, or runs out of time.
#[test]
fn exits_and_timeouts() {
    run_all(vec![
        case(
            "sys.exit(0) in the handler",
            "import sys\ndef handler(e, c):\n    sys.exit(0)\n",
            &[
                "Runtime.ExitError",
                "Error: Runtime exited without providing a reason",
            ],
        ),
        case(
            "sys.exit(3) in the handler",
            "import sys\ndef handler(e, c):\n    print('leaving')\n    sys.exit(3)\n",
            &[
                "Runtime.ExitError",
                "Runtime exited with error: exit status 3",
            ],
        ),
        case(
            "os._exit in the handler",
            "import os\ndef handler(e, c):\n    os._exit(7)\n",
            &["Runtime exited with error: exit status 7"],
        ),
        case(
            "the process kills itself",
            "import os, signal\ndef handler(e, c):\n    os.kill(os.getpid(), signal.SIGKILL)\n",
            &["Runtime exited with error: signal: killed"],
        ),
        case(
            "KeyboardInterrupt escapes the runtime",
            "def handler(e, c):\n    raise KeyboardInterrupt()\n",
            &["Runtime.ExitError", "KeyboardInterrupt"],
        ),
        case(
            "sys.exit at module scope",
            "import sys\nsys.exit(2)\ndef handler(e, c):\n    return 1\n",
            &[
                "Runtime.ExitError",
                "Runtime exited with error: exit status 2",
            ],
        ),
        case(
            "a timeout",
            "import time\ndef handler(e, c):\n    print('working')\n    time.sleep(5)\n",
            &["Task timed out after 1.00 seconds", "Sandbox.Timedout"],
        )
        .with("timeout = 1"),
    ]);
}

/// Payloads at Lambda's limits: 6 MB (6,291,456 bytes) for a synchronous
/// response. Quotas: https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
#[test]
fn payload_limits() {
    run_all(vec![
        case(
            "a response of exactly 6 MB",
            "def handler(e, c):\n    return 'x' * (6 * 1024 * 1024 - 2)\n",
            &["xxxxxxxx"],
        ),
        case(
            "a response one byte over 6 MB",
            "def handler(e, c):\n    return 'x' * (6 * 1024 * 1024 - 1)\n",
            &[
                "Function.ResponseSizeTooLarge",
                "(6291457 bytes) exceeded maximum allowed payload size (6291456 bytes)",
            ],
        ),
        case(
            "a unicode response counted in bytes",
            "def handler(e, c):\n    return 'é' * (3 * 1024 * 1024)\n",
            &["Function.ResponseSizeTooLarge"],
        ),
    ]);
}

/// Lambda limits init to 10 s, then retries it at the first invocation
/// with the function's timeout ("Init phase" in
/// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html):
/// a slow init works when the timeout leaves room, and times out otherwise.
#[test]
fn an_init_over_ten_seconds_is_retried_within_the_function_timeout() {
    let app = "import time\nprint('init starts')\ntime.sleep(10.5)\ndef handler(e, c):\n    return 'served'\n";
    let cases = [
        case(
            "room for the retry",
            app,
            &[
                "Phase: init\tStatus: timeout",
                "init starts\nPhase: init\tStatus: timeout\ninit starts",
                "\"served\"",
            ],
        )
        .with("timeout = 15"),
        case(
            "no room for the retry",
            app,
            &[
                "Phase: init\tStatus: timeout",
                "Task timed out after 5.00 seconds",
            ],
        )
        .with("timeout = 5"),
    ];
    std::thread::scope(|s| {
        let runs: Vec<_> = cases.iter().map(|c| s.spawn(|| conform(c))).collect();
        for run in runs {
            run.join().unwrap();
        }
    });
}

// --- Node.js: lam's bootstrap against aws-lambda-ric -----------------------

/// What a handler's return value, promise or callback answers.
#[test]
fn node_results() {
    run_all(vec![
        node(
            "an async handler's value",
            "export const handler = async (event) => ({ echo: event.name, list: [1, 2.5, null, true] });\n",
            &[r#"{"echo":"Zoë","list":[1,2.5,null,true]}"#],
        ),
        node(
            "an async handler returning nothing answers null",
            "export const handler = async () => {};\n",
            &["null"],
        ),
        node(
            "a non-async handler's return value is ignored: null",
            "export const handler = (event) => ({ ignored: true });\n",
            &["null"],
        ),
        node(
            "a non-async handler returning a promise answers its value",
            "export const handler = (event) => Promise.resolve({ via: 'promise' });\n",
            &[r#"{"via":"promise"}"#],
        ),
        node(
            "an API Gateway response",
            "export const handler = async () => ({ statusCode: 201, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ok: true }) });\n",
            &[r#""statusCode":201"#],
        ),
        node(
            "a value JSON cannot hold",
            "export const handler = async () => { const a = {}; a.self = a; return a; };\n",
            &["Unable to stringify response body"],
        ),
        node(
            "a BigInt",
            "export const handler = async () => ({ n: 10n });\n",
            &["Unable to stringify response body"],
        ),
        node(
            "undefined and functions inside the value",
            "export const handler = async () => ({ a: undefined, f() {}, d: new Date(0), n: NaN });\n",
            &[r#"{"d":"<time>","n":null}"#],
        ),
    ]);
}

/// Callback handlers and the context methods.
#[test]
fn node_callbacks() {
    run_all(vec![
        node(
            "callback(null, value)",
            "export const handler = (event, context, callback) => { callback(null, { via: 'callback' }); };\n",
            &[r#"{"via":"callback"}"#],
        ),
        node(
            "the callback waits for the event loop to empty",
            "export const handler = (event, context, callback) => {\n  setTimeout(() => console.log('timer ran before the answer'), 50);\n  callback(null, 'done');\n};\n",
            &["timer ran before the answer\nEND"],
        ),
        node(
            "callbackWaitsForEmptyEventLoop = false answers at once",
            "export const handler = (event, context, callback) => {\n  context.callbackWaitsForEmptyEventLoop = false;\n  setTimeout(() => console.log('never seen'), 2000);\n  callback(null, 'now');\n};\n",
            &["\"now\""],
        ),
        node(
            "context.succeed",
            "export const handler = (event, context) => { context.succeed({ via: 'succeed' }); };\n",
            &[r#"{"via":"succeed"}"#],
        ),
        node(
            "context.done with a value",
            "export const handler = (event, context) => { context.done(null, 'done value'); };\n",
            &["\"done value\""],
        ),
        node(
            "context.fail with an error",
            "export const handler = (event, context) => { context.fail(new Error('failed via context')); };\n",
            &["failed via context", "Invoke Error"],
        ),
        node(
            "context.fail() with nothing is 'handled'",
            "export const handler = (event, context) => { context.fail(); };\n",
            &[r#""errorType":"string","errorMessage":"handled""#],
        ),
        node(
            "the callback answers once",
            "export const handler = (event, context, callback) => { callback(null, 'first'); callback(null, 'second'); };\n",
            &["\"first\""],
        ),
        node(
            "a second answer after the callback is ignored",
            "export const handler = (event, context, callback) => {\n  context.callbackWaitsForEmptyEventLoop = false;\n  callback(null, 'first');\n  context.succeed('second');\n};\n",
            &["\"first\""],
        ),
        node(
            "a callback handler that never calls back answers null when the loop drains",
            "export const handler = (event, context, callback) => { console.log('no callback'); };\n",
            &["null"],
        ),
        // nodejs24.x makes this Runtime.NodeJsExit (tests/local.rs).
        node(
            "an async handler whose promise never settles answers null when the loop drains",
            "export const handler = async () => { await new Promise(() => {}); };\n",
            &["null"],
        ),
    ]);
}

/// Errors thrown or passed by the handler keep their type.
#[test]
fn node_errors() {
    run_all(vec![
        node(
            "an Error thrown by an async handler",
            "export const handler = async () => { throw new Error('boom'); };\n",
            &[
                r#""errorType":"Error","errorMessage":"boom""#,
                "Invoke Error \t{\"errorType\":\"Error\"",
            ],
        ),
        node(
            "a TypeError",
            "export const handler = async (event) => event.missing.deeper;\n",
            &[r#""errorType":"TypeError""#],
        ),
        node(
            "a thrown string",
            "export const handler = async () => { throw 'just a string'; };\n",
            &[r#""errorType":"string","errorMessage":"just a string","trace":[]"#],
        ),
        node(
            "a thrown object",
            "export const handler = async () => { throw { code: 42 }; };\n",
            &[r#""errorType":"object","errorMessage":"[object Object]""#],
        ),
        node(
            "a custom error class with fields",
            "class NotFound extends Error { constructor(m) { super(m); this.name = 'NotFound'; this.status = 404; } }\nexport const handler = async () => { throw new NotFound('no such item'); };\n",
            &[
                r#""errorType":"NotFound","errorMessage":"no such item""#,
                r#""status":404"#,
            ],
        ),
        node(
            "an error passed to the callback",
            "export const handler = (event, context, callback) => { callback(new RangeError('out of range')); };\n",
            &[r#""errorType":"RangeError""#],
        ),
        node(
            "a string passed to the callback",
            "export const handler = (event, context, callback) => { callback('failed'); };\n",
            &[r#""errorType":"string","errorMessage":"failed""#],
        ),
        node(
            "a synchronous throw from a non-async handler",
            "export const handler = () => { throw new SyntaxError('bad syntax at runtime'); };\n",
            &[r#""errorType":"SyntaxError""#],
        ),
        node(
            "an unhandled rejection during the invocation",
            "export const handler = async () => { Promise.reject(new Error('forgotten')); await new Promise((r) => setTimeout(r, 100)); return 'late'; };\n",
            &["Runtime.UnhandledPromiseRejection", "Error: forgotten"],
        ),
        node(
            "an uncaught exception in a timer",
            "export const handler = (event, context, callback) => { setTimeout(() => { throw new Error('in a timer'); }, 10); };\n",
            &["Uncaught Exception", "in a timer"],
        ),
        node(
            "an error whose message has a DEL character",
            "export const handler = async () => { throw new Error('a\\x7Fb'); };\n",
            &["a%7Fb"],
        ),
    ]);
}

/// Loading the handler: module systems, handler strings, init errors.
#[test]
fn node_init() {
    run_all(vec![
        node(
            "a TypeError at module scope stays a TypeError",
            "const config = null;\nconst x = config.value;\nexport const handler = async () => x;\n",
            &["Uncaught Exception", r#""errorType":"TypeError""#],
        ),
        node(
            "a missing package is Runtime.ImportModuleError",
            "",
            &[
                "Runtime.ImportModuleError",
                "Cannot find module 'no-such-package'",
            ],
        )
        .with("runtime = \"nodejs22.x\"\nhandler = \"app.handler\"")
        .file(
            "app.js",
            "const x = require('no-such-package');\nexports.handler = async () => x;\n",
        ),
        node(
            "an ES import of a missing file stays an Error",
            "import nothing from './missing.mjs';\nexport const handler = async () => nothing;\n",
            &[r#""errorType":"Error""#, "ERR_MODULE_NOT_FOUND"],
        ),
        node(
            "a missing handler file",
            "export const handler = async () => 1;\n",
            &["Runtime.ImportModuleError", "Cannot find module 'nothere'"],
        )
        .with("runtime = \"nodejs22.x\"\nhandler = \"nothere.handler\""),
        node(
            "a syntax error",
            "export const handler = async () => {\n",
            &["Runtime.UserCodeSyntaxError"],
        ),
        node(
            "a handler that is not exported",
            "export const other = async () => 1;\n",
            &[
                "Runtime.HandlerNotFound",
                "index.handler is undefined or not exported",
            ],
        ),
        node(
            "a handler that is not a function",
            "export const handler = { not: 'a function' };\n",
            &["Runtime.HandlerNotFound", "index.handler is not a function"],
        ),
        node(
            "no fallback to a default export",
            "export default { handler: async () => 'from default' };\n",
            &["Runtime.HandlerNotFound"],
        ),
        node(
            "a nested handler path walks properties",
            "export const api = { v1: { handler: async () => 'nested' } };\n",
            &["\"nested\""],
        )
        .with("runtime = \"nodejs22.x\"\nhandler = \"index.api.v1.handler\""),
        node("CommonJS .js", "", &["\"cjs\""])
            .with("runtime = \"nodejs22.x\"\nhandler = \"app.handler\"")
            .file("app.js", "exports.handler = async () => 'cjs';\n"),
        node("an ES module .js under type: module", "", &["\"esm\""])
            .with("runtime = \"nodejs22.x\"\nhandler = \"app.handler\"")
            .file("package.json", "{\"type\": \"module\"}\n")
            .file("app.js", "export const handler = async () => 'esm';\n"),
        node("a .cjs file", "", &["\"cjs file\""])
            .with("runtime = \"nodejs22.x\"\nhandler = \"app.handler\"")
            .file(
                "app.cjs",
                "module.exports.handler = async () => 'cjs file';\n",
            ),
        node("a handler in a subdirectory", "", &["\"from src\""])
            .with("runtime = \"nodejs22.x\"\nhandler = \"src/app.handler\"")
            .file(
                "src/app.mjs",
                "export const handler = async () => 'from src';\n",
            ),
        node(
            "top-level await in an ES module",
            "const value = await Promise.resolve('awaited at init');\nexport const handler = async () => value;\n",
            &["\"awaited at init\""],
        ),
        node(
            "the awslambda global exists at module load",
            "const kinds = [typeof awslambda, typeof awslambda.streamifyResponse, typeof awslambda.HttpResponseStream];\nexport const handler = async () => kinds;\n",
            &[r#"["object","function","function"]"#],
        ),
        node(
            "an exception thrown at module scope",
            "throw new Error('init failed');\nexport const handler = async () => 1;\n",
            &["Uncaught Exception", "init failed"],
        ),
    ]);
}

/// console at every level, raw streams, and what the handler sees.
#[test]
fn node_logging_and_context() {
    run_all(vec![
        node(
            "console levels and formats",
            "export const handler = async () => {\n  console.log('log %s %d', 'str', 42);\n  console.info('info', { a: [1, 2] });\n  console.warn('warn');\n  console.error('error');\n  console.debug('debug');\n  console.trace('trace');\n  console.log();\n  console.log('line1\\nline2');\n  return 1;\n};\n",
            &[
                "\tINFO\tlog str 42",
                "\tINFO\tinfo { a: [ 1, 2 ] }",
                "\tWARN\twarn",
                "\tERROR\terror",
                "\tDEBUG\tdebug",
                "\tTRACE\ttrace",
                "\tINFO\tundefined",
                "line1\rline2",
            ],
        ),
        node(
            "logging at module scope has no request id",
            "console.log('cold start');\nexport const handler = async () => 1;\n",
            &["\tundefined\tINFO\tcold start"],
        ),
        node(
            "raw stdout and stderr writes",
            "export const handler = async () => { process.stdout.write('raw out\\n'); process.stderr.write('raw err\\n'); return 1; };\n",
            &["raw out\nraw err\n"],
        ),
        node(
            "console.log of an Error",
            "export const handler = async () => { console.log(new Error('shown')); return 1; };\n",
            &["\tINFO\tError: shown\r    at Runtime.handler"],
        ),
        node(
            "the context as JSON",
            "export const handler = async (event, context) => ({ json: JSON.parse(JSON.stringify(context)), remaining: typeof context.getRemainingTimeInMillis(), identity: context.identity === undefined, keys: Object.keys(context) });\n",
            &[
                r#""callbackWaitsForEmptyEventLoop":true"#,
                r#""memoryLimitInMB":"128""#,
                r#""remaining":"number""#,
                r#""identity":true"#,
            ],
        ),
        node(
            "a client context and tenant id",
            "export const handler = async (event, context) => [context.clientContext, context.tenantId];\n",
            &[r#"[{"custom":{"k":"v"}},"acme-1"]"#],
        )
        .args(&["--client-context", r#"{"custom": {"k": "v"}}"#, "--tenant-id", "acme-1"]),
        node(
            "_X_AMZN_TRACE_ID is set for each invoke",
            "const atInit = process.env._X_AMZN_TRACE_ID;\nexport const handler = async () => [atInit === undefined, process.env._X_AMZN_TRACE_ID.slice(0, 5)];\n",
            &["[true,\"Root=\"]"],
        ),
        node(
            "the environment",
            "export const handler = async () => ['AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME', 'TZ', 'GREETING', 'LAMBDA_TASK_ROOT'].map((k) => process.env[k] === undefined ? null : k);\n",
            &[r#"["AWS_EXECUTION_ENV","AWS_LAMBDA_FUNCTION_NAME","TZ","GREETING","LAMBDA_TASK_ROOT"]"#],
        ),
        node(
            "the request id global that libraries read",
            "export const handler = async (event, context) => globalThis[Symbol.for('aws.lambda.runtime.requestId')] === context.awsRequestId;\n",
            &["true"],
        ),
    ]);
}

/// A handler that ends its own process, or runs out of time.
#[test]
fn node_exits_and_timeouts() {
    run_all(vec![
        node(
            "process.exit(0)",
            "export const handler = async () => { process.exit(0); };\n",
            &["Runtime exited without providing a reason"],
        ),
        node(
            "process.exit(2)",
            "export const handler = async () => { process.exit(2); };\n",
            &["Runtime exited with error: exit status 2"],
        ),
        node(
            "process.exit at module scope",
            "process.exit(3);\nexport const handler = async () => 1;\n",
            &["Runtime exited with error: exit status 3"],
        ),
        node(
            "a timeout",
            "export const handler = async () => { await new Promise((r) => setTimeout(r, 5000)); };\n",
            &["Task timed out after 1.00 seconds"],
        )
        .with("runtime = \"nodejs22.x\"\nhandler = \"index.handler\"\ntimeout = 1"),
    ]);
}

/// A Node.js case on nodejs24.x: the reference is aws-lambda-ric 4.
fn node24(name: &'static str, index: &str, expect: &[&'static str]) -> Case {
    node(name, index, expect).with("runtime = \"nodejs24.x\"\nhandler = \"index.handler\"")
}

/// nodejs24.x: no callback handlers, no context methods, the handler is
/// awaited, and no process-wide error handlers. (A promise that never
/// settles ends the process: aws-lambda-ric 4 answers Runtime.ExitError, not
/// the Runtime.NodeJsExit of later aws-lambda-ric 3 sources.)
#[test]
fn node24_semantics() {
    run_all(vec![
        node24(
            "an async handler's value",
            "export const handler = async (event) => ({ echo: event.name });\n",
            &[r#"{"echo":"Zoë"}"#],
        ),
        node24(
            "a callback handler is refused at init",
            "export const handler = (event, context, callback) => callback(null, 1);\n",
            &[
                "Runtime.CallbackHandlerDeprecated",
                "removed support for callback-based function handlers starting with Node.js 24",
            ],
        ),
        node24(
            "the context has no callback methods",
            "export const handler = async (event, context) => [typeof context.succeed, typeof context.done, context.callbackWaitsForEmptyEventLoop === undefined];\n",
            &[r#"["undefined","undefined",true]"#],
        ),
        node24(
            "a promise that never settles: the process ends with nothing to do",
            "export const handler = async () => { await new Promise(() => {}); };\n",
            &[
                "Runtime.ExitError",
                "Runtime exited without providing a reason",
            ],
        ),
        node24(
            "a non-async handler's return value is the answer",
            "export const handler = (event) => ({ plain: true });\n",
            &[r#"{"plain":true}"#],
        ),
        node24(
            "an Error",
            "export const handler = async () => { throw new TypeError('bad'); };\n",
            &[r#""errorType":"TypeError""#],
        ),
        node24(
            "a thrown string",
            "export const handler = async () => { throw 'str'; };\n",
            &[r#""errorType":"string","errorMessage":"str","trace":[]"#],
        ),
        node24(
            "console levels",
            "console.log('at init');\nexport const handler = async () => { console.log('log %d', 1); console.warn('w'); console.error(new Error('e')); return 1; };\n",
            &["\tINFO\tlog 1"],
        ),
        node24(
            "the context as JSON",
            "export const handler = async (event, context) => JSON.parse(JSON.stringify(context));\n",
            &[
                r#"{"invokedFunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:conf-dev:live","awsRequestId":"<id>","xRayTraceId":"Root=1-<epoch>"#,
            ],
        ),
        node24(
            "a missing package",
            "import x from 'no-such-package';\nexport const handler = async () => x;\n",
            &[
                "\t-\tERROR\tInit Error",
                "Cannot find package 'no-such-package'",
            ],
        ),
        node24(
            "a default export is searched too",
            "export default { handler: async () => 'from default' };\n",
            &["\"from default\""],
        ),
        node24("CommonJS", "", &["\"cjs\""])
            .with("runtime = \"nodejs24.x\"\nhandler = \"app.handler\"")
            .file("app.js", "exports.handler = async () => 'cjs';\n"),
        node24(
            "the awslambda global and its invocation store",
            "export const handler = async (event, context) => [Object.keys(awslambda), awslambda.InvokeStore.getRequestId() === context.awsRequestId];\n",
            &[r#"[["streamifyResponse","HttpResponseStream","InvokeStore"],true]"#],
        ),
        node24(
            "an uncaught exception in a timer ends the process",
            "export const handler = async () => { setTimeout(() => { throw new Error('in a timer'); }, 10); await new Promise((r) => setTimeout(r, 200)); return 1; };\n",
            &[
                "Error: in a timer",
                "Runtime exited with error: exit status 1",
            ],
        ),
        node24(
            "a thrown object",
            "export const handler = async () => { throw { code: 42 }; };\n",
            &[r#""errorType":"object","errorMessage":"[object Object]""#],
        ),
        node24(
            "process.exit(2)",
            "export const handler = async () => { process.exit(2); };\n",
            &["Runtime exited with error: exit status 2"],
        ),
        node24(
            "a value JSON cannot hold",
            "export const handler = async () => ({ n: 10n });\n",
            &[
                "Runtime.JSONStringifyError",
                "Unable to stringify response body",
            ],
        ),
        node24(
            "a syntax error",
            "export const handler = async () => {\n",
            &["Runtime.UserCodeSyntaxError"],
        ),
        node24(
            "an unhandled rejection ends the process",
            "export const handler = async () => { Promise.reject(new Error('forgotten')); await new Promise((r) => setTimeout(r, 100)); return 'late'; };\n",
            &[
                "Error: forgotten",
                "Runtime exited with error: exit status 1",
            ],
        ),
    ]);
}
