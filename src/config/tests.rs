use super::*;

fn parse(text: &str) -> Result<Project> {
    parse_stage(text, None)
}

fn parse_stage(text: &str, stage: Option<&str>) -> Result<Project> {
    Project::parse(text, "lam.toml", Path::new("/nonexistent/demo"), stage)
}

/// The error text of a file that must not load.
fn error_of(text: &str) -> String {
    match parse(text) {
        Ok(p) => panic!("expected an error, got {p:?}"),
        Err(e) => e.to_string(),
    }
}

const MINIMAL: &str = r#"
[project]
name = "demo"

[function]
runtime = "python3.12"
handler = "app.lambda_handler"
"#;

#[test]
fn minimal_file_gets_defaults() {
    let p = parse(MINIMAL).unwrap();
    assert_eq!(p.name, "demo");
    assert_eq!(p.stage, "dev");
    let [f] = p.functions.as_slice() else {
        panic!("one function")
    };
    assert_eq!(f.name, "demo-dev");
    assert_eq!(f.key, "function");
    assert_eq!(f.memory, 128);
    assert_eq!(f.timeout, 3);
    assert_eq!(f.architecture, Architecture::X86_64);
    assert_eq!(f.source, Path::new("/nonexistent/demo"));
    assert!(f.env.is_empty());
    assert!(f.api.is_none());
}

#[test]
fn full_function_table_is_read() {
    let p = parse(
        r#"
[project]
name = "shop"
region = "eu-west-1"

[env]
SHARED = "yes"

[function]
name = "shop-api"
runtime = "nodejs22.x"
handler = "index.handler"
memory = 512
timeout = 30
architecture = "arm64"
description = "the shop"
role = "arn:aws:iam::123456789012:role/shop"
layers = ["arn:aws:lambda:eu-west-1:123456789012:layer:x:1"]

[function.env]
TABLE = "orders"
RETRIES = 3
DEBUG = true

[function.secrets]
DB_PASSWORD = "shop/dev/DB_PASSWORD"

[function.api]
kind = "http"
routes = ["GET /items"]

[function.api.cors]
origins = ["https://example.com"]
methods = ["GET", "POST"]
max_age = 300

[build]
exclude = ["*.md"]
"#,
    )
    .unwrap();
    assert_eq!(p.region.as_deref(), Some("eu-west-1"));
    let f = &p.functions[0];
    assert_eq!(f.name, "shop-api");
    assert_eq!(f.runtime, "nodejs22.x");
    assert_eq!((f.memory, f.timeout), (512, 30));
    assert_eq!(f.architecture, Architecture::Arm64);
    assert_eq!(
        f.role.as_deref(),
        Some("arn:aws:iam::123456789012:role/shop")
    );
    assert_eq!(f.env["TABLE"], "orders");
    assert_eq!(f.env["RETRIES"], "3");
    assert_eq!(f.env["DEBUG"], "true");
    assert_eq!(f.env["SHARED"], "yes");
    assert_eq!(f.secrets["DB_PASSWORD"], "shop/dev/DB_PASSWORD");
    let api = f.api.as_ref().unwrap();
    assert_eq!(api.kind, ApiKind::Http);
    assert_eq!(api.cors.as_ref().unwrap().max_age, Some(300));
    assert_eq!(f.build.exclude, vec!["*.md".to_string()]);
    assert_eq!(f.layers.len(), 1);
}

#[test]
fn stage_overrides_merge_over_the_base() {
    let text = r#"
[project]
name = "demo"

[function]
runtime = "python3.12"
handler = "app.lambda_handler"
memory = 256

[function.env]
LOG_LEVEL = "debug"
TABLE = "t-dev"

[stages.prod]
memory = 1024

[stages.prod.env]
LOG_LEVEL = "warn"
"#;
    let dev = parse(text).unwrap();
    assert_eq!(dev.functions[0].memory, 256);
    assert_eq!(dev.functions[0].env["LOG_LEVEL"], "debug");

    let prod = parse_stage(text, Some("prod")).unwrap();
    let f = &prod.functions[0];
    assert_eq!(prod.stage, "prod");
    assert_eq!(f.name, "demo-prod");
    assert_eq!(f.memory, 1024);
    assert_eq!(f.env["LOG_LEVEL"], "warn");
    assert_eq!(f.env["TABLE"], "t-dev", "keys not overridden are kept");
}

#[test]
fn several_functions_with_per_function_stage_overrides() {
    let text = r#"
[project]
name = "app"

[functions.api]
runtime = "python3.12"
handler = "api.handler"

[functions.worker]
runtime = "python3.13"
handler = "worker.handler"
timeout = 60

[stages.prod]
memory = 512

[stages.prod.functions.worker]
timeout = 300
"#;
    let p = parse_stage(text, Some("prod")).unwrap();
    let names: Vec<_> = p.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["app-prod-api", "app-prod-worker"]);
    assert_eq!(p.functions[0].memory, 512);
    assert_eq!(p.functions[1].timeout, 300);
    assert_eq!(p.one(Some("worker")).unwrap().handler, "worker.handler");
    assert!(
        p.one(None)
            .unwrap_err()
            .to_string()
            .contains("2 functions: api, worker")
    );
    assert!(
        p.one(Some("nope"))
            .unwrap_err()
            .to_string()
            .contains("functions defined: api, worker")
    );
    assert_eq!(p.select(None).unwrap().len(), 2);
}

#[test]
fn memory_below_minimum_names_line_and_column() {
    let err = error_of(
        "[project]\nname = \"demo\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\nmemory = 64\n",
    );
    assert!(
        err.starts_with("error: lam.toml:7:10: memory = 64 is below Lambda's minimum of 128 MB"),
        "{err}"
    );
    assert!(
        err.contains("hint: set memory between 128 and 10240"),
        "{err}"
    );
}

#[test]
fn stage_value_errors_point_at_the_stage_table() {
    let text = "[project]\nname = \"d\"\n[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n[stages.prod]\ntimeout = 1000\n";
    assert!(parse(text).is_ok(), "dev does not see the prod override");
    let err = parse_stage(text, Some("prod")).unwrap_err().to_string();
    assert!(err.contains("lam.toml:7:11: timeout = 1000"), "{err}");
}

#[test]
fn every_problem_is_reported_in_file_order() {
    let err = error_of(
        r#"[project]
name = "demo"
[function]
runtime = "python3.9"
handler = "app"
memory = 20000
timeout = 0
architecture = "sparc"
[function.env]
AWS_REGION = "x"
"1BAD" = "y"
"#,
    );
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(lines.len(), 7, "{err}");
    assert!(
        lines[0].contains(":4:11: runtime = \"python3.9\" is deprecated"),
        "{err}"
    );
    assert!(
        lines[1].contains(":5:11: handler = \"app\" has no function part"),
        "{err}"
    );
    assert!(lines[2].contains(":6:10: memory = 20000 is above"), "{err}");
    assert!(lines[3].contains(":7:11: timeout = 0"), "{err}");
    assert!(
        lines[4].contains(":8:16: architecture = \"sparc\""),
        "{err}"
    );
    assert!(
        lines[5].contains(":10:14: environment variable AWS_REGION is reserved"),
        "{err}"
    );
    assert!(
        lines[6].contains(":11:10: environment variable name \"1BAD\""),
        "{err}"
    );
}

#[test]
fn unknown_keys_are_refused_with_position() {
    let err = error_of("[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\nmemroy = 256\n");
    assert!(err.contains("lam.toml:4:1:"), "{err}");
    assert!(err.contains("unknown key `memroy`"), "{err}");
    assert!(err.contains("hint: did you mean `memory`?"), "{err}");
    let err = error_of("[funtion]\nruntime = \"python3.12\"\n");
    assert!(err.contains("unknown key `funtion`"), "{err}");
    assert!(err.contains("did you mean `function`?"), "{err}");
}

#[test]
fn wrong_types_are_refused() {
    let err =
        error_of("[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\nmemory = \"big\"\n");
    assert!(err.contains("lam.toml:4:10:"), "{err}");
    assert!(err.contains("invalid type"), "{err}");
    assert!(err.contains("hint: check the value's type"), "{err}");
}

#[test]
fn syntax_errors_have_positions() {
    let err = error_of("[function\nruntime = \"python3.12\"\n");
    assert!(err.starts_with("error: lam.toml:1:"), "{err}");
}

#[test]
fn unknown_runtime_lists_valid_ones() {
    let err = error_of("[function]\nruntime = \"cobol1\"\nhandler = \"app.h\"\n");
    assert!(
        err.contains("runtime = \"cobol1\" is not a Lambda runtime"),
        "{err}"
    );
    assert!(err.contains("hint: use one of: python3.10"), "{err}");
}

#[test]
fn missing_runtime_and_handler() {
    let err = error_of("[function]\nmemory = 256\n");
    assert!(err.contains("[function] has no runtime"), "{err}");
    assert!(err.contains("[function] has no handler"), "{err}");
}

#[test]
fn bad_function_names() {
    let err =
        error_of("[function]\nname = \"my.func\"\nruntime = \"python3.12\"\nhandler = \"app.h\"\n");
    assert!(
        err.contains("lam.toml:2:8: function name \"my.func\" is not valid"),
        "{err}"
    );
    let project = "p".repeat(40);
    let key = "k".repeat(30);
    let err = error_of(&format!(
        "[project]\nname = \"{project}\"\n[functions.{key}]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n"
    ));
    assert!(err.contains("the derived function name"), "{err}");
    assert!(
        err.contains("hint: set `name` for the function explicitly"),
        "{err}"
    );
}

#[test]
fn environment_over_four_kilobytes() {
    let big = "v".repeat(4100);
    let err = error_of(&format!(
        "[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\n[function.env]\nBIG = \"{big}\"\n"
    ));
    assert!(err.contains("over Lambda's limit of 4096 bytes"), "{err}");
    assert!(err.contains("lam.toml:4:"), "{err}");
}

#[test]
fn malformed_role_arn() {
    let err =
        error_of("[function]\nruntime = \"python3.12\"\nhandler = \"app.h\"\nrole = \"my-role\"\n");
    assert!(
        err.contains("role = \"my-role\" is not an IAM role ARN"),
        "{err}"
    );
}

#[test]
fn no_function_or_both_kinds() {
    assert!(error_of("[project]\nname = \"x\"\n").contains("defines no function"));
    let both = "[function]\nruntime = \"python3.12\"\nhandler = \"a.b\"\n[functions.x]\nruntime = \"python3.12\"\nhandler = \"a.b\"\n";
    assert!(error_of(both).contains("both [function] and [functions.*]"));
}

#[test]
fn unknown_stage_is_a_usage_error() {
    let err = parse_stage(MINIMAL, Some("prod")).unwrap_err();
    assert_eq!(err.kind, Kind::Usage);
    assert!(err.to_string().contains("stage \"prod\" is not defined"));
    assert!(err.to_string().contains("use one of: dev"));
    assert!(parse_stage(MINIMAL, Some("dev")).is_ok());
    assert!(parse_stage(MINIMAL, Some("a/b")).is_err());
}

#[test]
fn stage_override_of_an_unknown_function() {
    let err = error_of(
        "[functions.a]\nruntime = \"python3.12\"\nhandler = \"a.b\"\n[stages.prod.functions.b]\nmemory = 256\n",
    );
    assert!(
        err.contains("overrides a function that is not defined"),
        "{err}"
    );
}

#[test]
fn explicit_names_must_be_unique() {
    let err = error_of(
        "[functions.a]\nname = \"same\"\nruntime = \"python3.12\"\nhandler = \"a.b\"\n[functions.b]\nname = \"same\"\nruntime = \"python3.12\"\nhandler = \"a.b\"\n",
    );
    assert!(err.contains("would both be named \"same\""), "{err}");
}

#[test]
fn api_kind_must_be_known() {
    let err = error_of(
        "[function]\nruntime = \"python3.12\"\nhandler = \"a.b\"\n[api]\nkind = \"graphql\"\n",
    );
    assert!(err.contains("lam.toml:5:8:"), "{err}");
    assert!(err.contains("unknown variant `graphql`"), "{err}");
}

#[test]
fn project_names_from_directories_are_cleaned() {
    assert_eq!(name_from_directory(".tmpAb1"), "tmpAb1");
    assert_eq!(name_from_directory("my app.v2"), "my-app-v2");
    assert_eq!(name_from_directory("..."), "lam");
    assert_eq!(name_from_directory(&"x".repeat(50)).len(), 40);
}

#[test]
fn protected_marks_a_stage_and_nothing_else() {
    let text = format!("{MINIMAL}\n[stages.prod]\nprotected = true\n");
    assert!(!parse(&text).unwrap().protected);
    assert!(parse_stage(&text, Some("prod")).unwrap().protected);
    let err = error_of(&MINIMAL.replace(
        "handler = \"app.lambda_handler\"",
        "handler = \"app.lambda_handler\"\nprotected = true",
    ));
    assert!(
        err.contains("lam.toml:8:13: protected marks a stage, not a function"),
        "{err}"
    );
}

#[test]
fn every_key_serde_refuses_is_reported_with_its_line() {
    let text = "[project]\nname = \"shop\"\nregoin = \"eu-west-1\"\n\n[function]\nruntime = \"python3.12\"\nhandler = \"app.handler\"\nmemory = \"lots\"\ntimout = 30\n";
    let err = parse(text).unwrap_err();
    let messages: Vec<&str> = err.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(
        messages[0].starts_with("lam.toml:3:1: unknown key `regoin`"),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("lam.toml:8:10: invalid type")
                && m.contains("expected a whole number")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("lam.toml:9:1: unknown key `timout`")),
        "{messages:#?}"
    );
    // A syntax error stops the reading: it is the one problem.
    let err = parse("[function\nruntime = 1\n").unwrap_err();
    assert_eq!(err.problems.len(), 1);
}

#[test]
fn a_refused_required_key_is_one_problem_not_two() {
    // Taking `kind` out to read on would make serde miss it: that second
    // problem is not the file's.
    let err = parse(&format!("{MINIMAL}\n[function.api]\nkind = \"graphql\"\n")).unwrap_err();
    assert_eq!(err.problems.len(), 1, "{:#?}", err.problems);
    assert!(
        !err.problems[0].message.contains("missing field"),
        "{:#?}",
        err.problems
    );
}
