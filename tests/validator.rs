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

/// The quota stand-in answers as Lambda's model says a throttled caller is
/// answered: the SDK, generated from that model, reads it as a
/// TooManyRequestsException with Reason CallerRateLimitExceeded and
/// classifies it as throttling; GetFunction has a quota of its own.
#[test]
fn the_quota_stand_in_answers_as_lambdas_model_says() {
    moto();
    let config = sdk_config()
        .into_builder()
        .credentials_provider(aws_sdk_lambda::config::SharedCredentialsProvider::new(
            aws_sdk_lambda::config::Credentials::new(
                format!("LAMQUOTA{}", unique("v").replace('-', "")),
                "testing",
                None,
                None,
                "test",
            ),
        ))
        .retry_config(aws_smithy_types::retry::RetryConfig::disabled())
        .build();
    let lambda = aws_sdk_lambda::Client::new(&config);
    // 15 a second for the rest of the control plane: the 16th at once is over.
    let mut refused = None;
    for _ in 0..40 {
        match block_on(lambda.list_functions().max_items(1).send()) {
            Ok(_) => {}
            Err(e) => {
                refused = Some(e);
                break;
            }
        }
    }
    let err = refused.expect("no call was refused over 15 a second");
    let service = err.as_service_error().expect("a service error");
    assert!(service.is_too_many_requests_exception(), "{service:?}");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(429));
    let aws_sdk_lambda::operation::list_functions::ListFunctionsError::TooManyRequestsException(t) =
        service
    else {
        unreachable!()
    };
    assert_eq!(
        t.reason(),
        Some(&aws_sdk_lambda::types::ThrottleReason::CallerRateLimitExceeded)
    );
    // The code the SDK's AWS error classifier retries as throttling
    // (aws-runtime's THROTTLING_ERRORS lists it).
    use aws_smithy_types::error::metadata::ProvideErrorMetadata;
    assert_eq!(service.code(), Some("TooManyRequestsException"));
    // GetFunction's own quota (100 a second) is not spent by the rest.
    let other = block_on(lambda.get_function().function_name("lam-quota-none").send())
        .expect_err("no such function");
    assert!(
        other
            .as_service_error()
            .is_some_and(|e| e.is_resource_not_found_exception()),
        "{other:?}"
    );
}
