//! The model validator in front of moto (tests/support/model_validator.py)
//! refuses what AWS refuses, as AWS answers it, for each protocol lam
//! speaks, and lets valid requests through. These requests carry
//! `x-lam-expect-invalid`, so they do not count as lam's violations.

use crate::common::*;

fn expect_invalid<T>(
    result: Result<
        T,
        aws_smithy_runtime_api::client::result::SdkError<
            impl aws_smithy_types::error::metadata::ProvideErrorMetadata + std::fmt::Debug,
            aws_smithy_runtime_api::client::orchestrator::HttpResponse,
        >,
    >,
    code: &str,
    rule: &str,
) {
    let Err(err) = result else {
        panic!("the validator let an invalid request through")
    };
    let service = err.as_service_error().expect("a service error");
    assert_eq!(service.code(), Some(code), "{service:?}");
    let message = service.message().unwrap_or_default();
    assert!(message.contains(rule), "{message}");
}

fn marked<B>(request: &mut aws_smithy_runtime_api::client::orchestrator::HttpRequest, _: B) {
    request.headers_mut().insert("x-lam-expect-invalid", "1");
}

#[test]
fn requests_that_break_the_model_are_refused_as_aws_refuses_them() {
    moto();
    let lambda = lambda_client();
    // rest-json: a function name outside its pattern; a URL CORS method over 6 characters.
    expect_invalid(
        block_on(
            lambda
                .get_function()
                .function_name("bad name!")
                .customize()
                .mutate_request(|r| marked(r, ()))
                .send(),
        ),
        "ValidationException",
        "regular expression pattern",
    );
    expect_invalid(
        block_on(
            lambda
                .create_function_url_config()
                .function_name("f")
                .auth_type(aws_sdk_lambda::types::FunctionUrlAuthType::None)
                .cors(
                    aws_sdk_lambda::types::Cors::builder()
                        .allow_methods("OPTIONS")
                        .build(),
                )
                .customize()
                .mutate_request(|r| marked(r, ()))
                .send(),
        ),
        "ValidationException",
        "length less than or equal to 6",
    );
    // query (IAM): a role name over 64 characters.
    let iam = aws_sdk_iam::Client::new(&sdk_config());
    expect_invalid(
        block_on(
            iam.get_role()
                .role_name("r".repeat(65))
                .customize()
                .mutate_request(|r| marked(r, ()))
                .send(),
        ),
        "ValidationError",
        "length less than or equal to 64",
    );
    // json (EventBridge): a rule name outside its pattern.
    let events = aws_sdk_eventbridge::Client::new(&sdk_config());
    expect_invalid(
        block_on(
            events
                .put_rule()
                .name("no spaces allowed")
                .schedule_expression("rate(1 hour)")
                .customize()
                .mutate_request(|r| marked(r, ()))
                .send(),
        ),
        "ValidationException",
        "regular expression pattern",
    );
    // Valid requests pass: a missing function is moto's own 404.
    let err = block_on(lambda.get_function().function_name("no-such-fn").send()).unwrap_err();
    assert!(err.into_service_error().is_resource_not_found_exception());
}
