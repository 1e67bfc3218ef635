# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_lam_global_optspecs
    string join \n profile= region= endpoint-url= stage= C= output= y/yes v/verbose q/quiet no-color trust h/help V/version
end

function __fish_lam_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_lam_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_lam_using_subcommand
    set -l cmd (__fish_lam_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c lam -n "__fish_lam_needs_command" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_needs_command" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_needs_command" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_needs_command" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_needs_command" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_needs_command" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_needs_command" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_needs_command" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_needs_command" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_needs_command" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_needs_command" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lam -n "__fish_lam_needs_command" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_needs_command" -f -a "new" -d 'Create a new function project from a template'
complete -c lam -n "__fish_lam_needs_command" -f -a "build" -d 'Package the function code into a reproducible zip in .lam/build/'
complete -c lam -n "__fish_lam_needs_command" -f -a "test" -d 'Run the project\'s own tests with the function\'s dependencies (pytest, node --test)'
complete -c lam -n "__fish_lam_needs_command" -f -a "deploy" -d 'Create or update the function on AWS so that it matches lam.toml'
complete -c lam -n "__fish_lam_needs_command" -f -a "rollback" -d 'Point the function\'s alias back at an earlier version'
complete -c lam -n "__fish_lam_needs_command" -f -a "invoke" -d 'Invoke the function on AWS, or locally with --local'
complete -c lam -n "__fish_lam_needs_command" -f -a "logs" -d 'Show the function\'s CloudWatch logs, optionally following new events'
complete -c lam -n "__fish_lam_needs_command" -f -a "stats" -d 'Invocations, cold starts, durations, memory and cost, from the REPORT lines'
complete -c lam -n "__fish_lam_needs_command" -f -a "serve" -d 'Serve the functions locally as an API Gateway and a Lambda Invoke API'
complete -c lam -n "__fish_lam_needs_command" -f -a "dev" -d 'Run the deployed function\'s real invocations on this machine until Ctrl-C'
complete -c lam -n "__fish_lam_needs_command" -f -a "debug-config" -d 'Write the editor\'s debugger configurations for `--debug` runs'
complete -c lam -n "__fish_lam_needs_command" -f -a "env" -d 'Show and edit the function\'s environment variables'
complete -c lam -n "__fish_lam_needs_command" -f -a "secrets" -d 'Manage secrets in AWS Secrets Manager without ever printing them'
complete -c lam -n "__fish_lam_needs_command" -f -a "events" -d 'List and generate sample trigger events (API Gateway, S3, SQS, ...)'
complete -c lam -n "__fish_lam_needs_command" -f -a "status" -d 'Show what is deployed and whether local code differs'
complete -c lam -n "__fish_lam_needs_command" -f -a "destroy" -d 'Delete what lam created for the stage'
complete -c lam -n "__fish_lam_needs_command" -f -a "trust" -d 'Trust this lam.toml\'s settings that run code or widen IAM (recorded for its exact content)'
complete -c lam -n "__fish_lam_needs_command" -f -a "doctor" -d 'Check this machine (and the project here) for what lam needs, with what to do'
complete -c lam -n "__fish_lam_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c lam -n "__fish_lam_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lam -n "__fish_lam_using_subcommand new" -s r -l runtime -d 'Lambda runtime (python3.10..python3.14, nodejs20.x..nodejs24.x), or just python / node' -r
complete -c lam -n "__fish_lam_using_subcommand new" -s t -l template -d 'Template to start from (see --list)' -r
complete -c lam -n "__fish_lam_using_subcommand new" -l api -d 'HTTP endpoint to configure in lam.toml' -r -f -a "rest\t'API Gateway REST API (payload format 1.0)'
http\t'API Gateway HTTP API (payload format 2.0)'
url\t'Lambda function URL'
none\t'No HTTP endpoint'"
complete -c lam -n "__fish_lam_using_subcommand new" -l bucket -d 'Bucket whose uploads invoke the function (template s3-image)' -r
complete -c lam -n "__fish_lam_using_subcommand new" -l schedule -d 'When the function runs: rate(...) or cron(...) (template scheduled; default rate(15 minutes))' -r
complete -c lam -n "__fish_lam_using_subcommand new" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand new" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand new" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand new" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand new" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand new" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand new" -l force -d 'Write into an existing non-empty directory'
complete -c lam -n "__fish_lam_using_subcommand new" -l list -d 'List the available templates and exit'
complete -c lam -n "__fish_lam_using_subcommand new" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand new" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand new" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand new" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand new" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand new" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lam -n "__fish_lam_using_subcommand new" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand build" -s f -l function -d 'Build only this function (the key under [functions.<name>])' -r
complete -c lam -n "__fish_lam_using_subcommand build" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand build" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand build" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand build" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand build" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand build" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand build" -l list -d 'Print the files that go into the zip instead of building it'
complete -c lam -n "__fish_lam_using_subcommand build" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand build" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand build" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand build" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand build" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand build" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand build" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand test" -s f -l function -d 'Test only this function\'s directory (the key under [functions.<name>])' -r
complete -c lam -n "__fish_lam_using_subcommand test" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand test" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand test" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand test" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand test" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand test" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand test" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand test" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand test" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand test" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand test" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand test" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand test" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand deploy" -s f -l function -d 'Deploy only this function (the key under [functions.<name>])' -r
complete -c lam -n "__fish_lam_using_subcommand deploy" -l role -d 'IAM role ARN for the function (overrides `role` in lam.toml)' -r
complete -c lam -n "__fish_lam_using_subcommand deploy" -l s3-bucket -d 'Bucket for packages over Lambda\'s 50 MB direct-upload limit (overrides [build] s3_bucket)' -r
complete -c lam -n "__fish_lam_using_subcommand deploy" -l keep-versions -d 'After publishing, delete older versions that no alias points at, keeping the newest N' -r
complete -c lam -n "__fish_lam_using_subcommand deploy" -l env-file -d 'Also deploy the variables of this dotenv file (lam.toml\'s env wins on conflicts); .env files are never deployed otherwise' -r
complete -c lam -n "__fish_lam_using_subcommand deploy" -l concurrency -d 'How many functions to deploy at once' -r
complete -c lam -n "__fish_lam_using_subcommand deploy" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand deploy" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand deploy" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand deploy" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand deploy" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand deploy" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand deploy" -l allow-public-wildcard-role -d 'Deploy a public endpoint (function URL with auth NONE, REST or HTTP API) in front of a role that lam.toml grants wildcard IAM permissions'
complete -c lam -n "__fish_lam_using_subcommand deploy" -l dry-run -d 'Show what would change without changing anything'
complete -c lam -n "__fish_lam_using_subcommand deploy" -l adopt -d 'Take over a function of the same name that lam did not create (lam tags it and manages it from then on); without it such a function is refused'
complete -c lam -n "__fish_lam_using_subcommand deploy" -l watch -d 'After deploying, keep syncing changes until Ctrl-C: code edits update $LATEST\'s code, requirement edits the dependency layer, lam.toml edits run a full deploy (the alias keeps serving the last published version)'
complete -c lam -n "__fish_lam_using_subcommand deploy" -l logs -d 'With --watch: print the functions\' logs as `lam logs --follow` does'
complete -c lam -n "__fish_lam_using_subcommand deploy" -l force -d 'With --watch: sync a stage marked `protected = true` all the same'
complete -c lam -n "__fish_lam_using_subcommand deploy" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand deploy" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand deploy" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand deploy" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand deploy" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand deploy" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand deploy" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand rollback" -l to -d 'Version to point the alias at (default: the version before the current one)' -r
complete -c lam -n "__fish_lam_using_subcommand rollback" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand rollback" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand rollback" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand rollback" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand rollback" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand rollback" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand rollback" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand rollback" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand rollback" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand rollback" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand rollback" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand rollback" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand rollback" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand invoke" -s e -l event -d 'Event JSON: a file path, or - for stdin (default: {})' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l event-source -d 'Generate the event instead, as `lam events generate SOURCE` would (e.g. apigw-rest)' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l method -d 'HTTP method of HTTP events' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l path -d 'Request path of HTTP events' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l query -d 'Query parameter (repeatable)' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l header -d 'Header (repeatable)' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l path-param -d 'Path parameter (repeatable)' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l body -d 'Body or message: text, or @FILE' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l bucket -d 'S3 bucket of S3 events' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l key -d 'S3 object key of S3 events' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l size -d 'S3 object size in bytes' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l count -d 'Records in a batch (SQS, Kinesis, DynamoDB, Kafka, MQ)' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l seed -d 'Make ids and timestamps reproducible' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l debug-port -d 'The first function\'s debugger port; a function listens on it plus its place in lam.toml, as under `lam serve --debug` (default: 5678 when the first function is Python, 9229 when it is Node.js)' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l client-context -d 'Client context as a JSON object (the Invoke API\'s ClientContext): the handler reads it as context.client_context (Python) or context.clientContext (Node.js)' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l tenant-id -d 'Tenant of a multi-tenant function (the Invoke API\'s TenantId): the handler reads it as context.tenant_id (Python) or context.tenantId (Node.js)' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l qualifier -d 'Version or alias to invoke (remote only)' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand invoke" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand invoke" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand invoke" -s l -l local -d 'Run the handler on this machine through lam\'s Lambda Runtime API emulator'
complete -c lam -n "__fish_lam_using_subcommand invoke" -l ric -d 'With --local: run the official runtime client (awslambdaric for Python, aws-lambda-ric for Node.js) instead of lam\'s bootstrap'
complete -c lam -n "__fish_lam_using_subcommand invoke" -l debug -d 'With --local: run the handler under a debugger (Python: debugpy, Node.js: the inspector) and wait for one to attach'
complete -c lam -n "__fish_lam_using_subcommand invoke" -l no-wait -d 'With --debug: run at once instead of waiting for a debugger to attach'
complete -c lam -n "__fish_lam_using_subcommand invoke" -l profile-init -d 'With --local: where the cold start goes (interpreter, each import, module-level code): Python\'s -X importtime, compiled from source as on Lambda; Node.js: a CPU profile of the handler\'s import'
complete -c lam -n "__fish_lam_using_subcommand invoke" -l async -d 'Invoke asynchronously (InvocationType Event) and print the request id'
complete -c lam -n "__fish_lam_using_subcommand invoke" -l tail -d 'Then print the invocation\'s complete log from CloudWatch (not just the last 4 KB)'
complete -c lam -n "__fish_lam_using_subcommand invoke" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand invoke" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand invoke" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand invoke" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand invoke" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand invoke" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand invoke" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand logs" -l since -d 'Start time: a duration ago (10m, 2h, 1d) or an ISO-8601 timestamp' -r
complete -c lam -n "__fish_lam_using_subcommand logs" -l until -d 'End time, in the same forms as --since' -r
complete -c lam -n "__fish_lam_using_subcommand logs" -l filter -d 'CloudWatch Logs filter pattern' -r
complete -c lam -n "__fish_lam_using_subcommand logs" -l request-id -d 'Only events of this invocation' -r
complete -c lam -n "__fish_lam_using_subcommand logs" -l format -d 'How to print each event' -r -f -a "pretty\t''
short\t''
json\t''
raw\t''"
complete -c lam -n "__fish_lam_using_subcommand logs" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand logs" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand logs" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand logs" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand logs" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand logs" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand logs" -s f -l follow -d 'Keep printing new events until Ctrl-C (through a CloudWatch Live Tail session where the endpoint has one, else by polling)'
complete -c lam -n "__fish_lam_using_subcommand logs" -l poll -d 'Follow by polling FilterLogEvents, not Live Tail (Live Tail sessions are billed per minute)'
complete -c lam -n "__fish_lam_using_subcommand logs" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand logs" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand logs" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand logs" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand logs" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand logs" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand logs" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand stats" -l since -d 'Start time: a duration ago (1h, 24h, 7d) or an ISO-8601 timestamp' -r
complete -c lam -n "__fish_lam_using_subcommand stats" -l until -d 'End time, in the same forms as --since' -r
complete -c lam -n "__fish_lam_using_subcommand stats" -l qualifier -d 'Only this version, or the version this alias points to' -r
complete -c lam -n "__fish_lam_using_subcommand stats" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand stats" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand stats" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand stats" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand stats" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand stats" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand stats" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand stats" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand stats" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand stats" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand stats" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand stats" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand stats" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand serve" -l host -d 'Address to listen on; anything but loopback also needs --allow-remote' -r
complete -c lam -n "__fish_lam_using_subcommand serve" -s p -l port -d 'Port to listen on' -r
complete -c lam -n "__fish_lam_using_subcommand serve" -l concurrency -d 'Warm runtime processes kept per function (1..=64)' -r
complete -c lam -n "__fish_lam_using_subcommand serve" -l debug-port -d 'The first function\'s debugger port; the next functions take the ports after it (default: 5678 for Python, 9229 for Node.js)' -r
complete -c lam -n "__fish_lam_using_subcommand serve" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand serve" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand serve" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand serve" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand serve" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand serve" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand serve" -l allow-remote -d 'Let a --host other than loopback be used: anyone who can reach the port then runs your handlers with your AWS credentials'
complete -c lam -n "__fish_lam_using_subcommand serve" -s w -l watch -d 'Restart runtime processes when project files change'
complete -c lam -n "__fish_lam_using_subcommand serve" -l ric -d 'Run functions with the official runtime client (awslambdaric, aws-lambda-ric) instead of lam\'s bootstrap'
complete -c lam -n "__fish_lam_using_subcommand serve" -l debug -d 'Run each function under a debugger (Python: debugpy, Node.js: the inspector), one warm runtime per function, each on its own port'
complete -c lam -n "__fish_lam_using_subcommand serve" -l no-wait -d 'With --debug: start the runtimes at once instead of waiting for a debugger to attach'
complete -c lam -n "__fish_lam_using_subcommand serve" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand serve" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand serve" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand serve" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand serve" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand serve" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand serve" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand dev" -l concurrency -d 'Invocations run at once on this machine (1..=64); more wait' -r
complete -c lam -n "__fish_lam_using_subcommand dev" -l debug-port -d 'The first function\'s debugger port; the next functions take the ports after it' -r
complete -c lam -n "__fish_lam_using_subcommand dev" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand dev" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand dev" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand dev" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand dev" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand dev" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand dev" -l stop -d 'Put the deployed code back and remove what a session made, then exit'
complete -c lam -n "__fish_lam_using_subcommand dev" -l force -d 'Take over a stage marked protected all the same'
complete -c lam -n "__fish_lam_using_subcommand dev" -l as-role -d 'Let you assume the function\'s role for the session (a statement in its trust policy, removed on stop), so the handler runs with the role\'s permissions; unprotected stages only'
complete -c lam -n "__fish_lam_using_subcommand dev" -l debug -d 'Run each function under a debugger (Python: debugpy, Node.js: the inspector), one runtime per function; raise the function\'s timeout to stop at breakpoints on real events'
complete -c lam -n "__fish_lam_using_subcommand dev" -l no-wait -d 'With --debug: run at once instead of waiting for a debugger to attach'
complete -c lam -n "__fish_lam_using_subcommand dev" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand dev" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand dev" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand dev" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand dev" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand dev" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand dev" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand debug-config" -l debug-port -d 'The debugger port of the first function, as given to --debug-port' -r
complete -c lam -n "__fish_lam_using_subcommand debug-config" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand debug-config" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand debug-config" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand debug-config" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand debug-config" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand debug-config" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand debug-config" -l print -d 'Print the configurations instead of adding them to .vscode/launch.json'
complete -c lam -n "__fish_lam_using_subcommand debug-config" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand debug-config" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand debug-config" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand debug-config" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand debug-config" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand debug-config" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lam -n "__fish_lam_using_subcommand debug-config" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -f -a "list" -d 'Show the effective variables for the stage (secret-looking values masked)'
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -f -a "diff" -d 'Compare lam.toml\'s variables with the deployed function\'s'
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -f -a "set" -d 'Set variables in lam.toml, keeping its comments and layout'
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -f -a "unset" -d 'Remove variables from lam.toml'
complete -c lam -n "__fish_lam_using_subcommand env; and not __fish_seen_subcommand_from list diff set unset help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from list" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from list" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from list" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from list" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from list" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from list" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from list" -l remote -d 'Show the variables of the deployed function instead'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from list" -l show-values -d 'Do not mask values of keys that look secret'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from list" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from list" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from diff" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from diff" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from diff" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from diff" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from diff" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from diff" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from diff" -l show-values -d 'Do not mask values of keys that look secret'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from diff" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from diff" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from diff" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from diff" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from diff" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from diff" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from set" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from set" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from set" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from set" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from set" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from set" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from set" -l plain -d 'Set a key whose name looks secret (PASSWORD, TOKEN, KEY...) in lam.toml anyway; `lam secrets set` is the place for secrets'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from set" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from set" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from unset" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from unset" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from unset" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from unset" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from unset" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from unset" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from unset" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from unset" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from unset" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from unset" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from unset" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from unset" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "list" -d 'Show the effective variables for the stage (secret-looking values masked)'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Compare lam.toml\'s variables with the deployed function\'s'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set variables in lam.toml, keeping its comments and layout'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Remove variables from lam.toml'
complete -c lam -n "__fish_lam_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -f -a "set" -d 'Store a secret (read from a hidden prompt, --from-file or stdin; never an argument)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -f -a "list" -d 'List secret names and when they last changed (never values)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -f -a "get" -d 'Show a secret, masked unless --reveal'
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -f -a "rm" -d 'Delete a secret (with a recovery window unless --force)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and not __fish_seen_subcommand_from set list get rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from set" -l from-file -d 'Read the value from this file' -r -F
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from set" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from set" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from set" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from set" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from set" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from set" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from set" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from set" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from list" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from list" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from list" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from list" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from list" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from list" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from list" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from list" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from get" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from get" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from get" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from get" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from get" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from get" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from get" -l reveal -d 'Print the value itself'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from get" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from get" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from get" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from get" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from rm" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from rm" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from rm" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from rm" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from rm" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from rm" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from rm" -l force -d 'Delete at once, without a recovery window'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from rm" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from rm" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from rm" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "set" -d 'Store a secret (read from a hidden prompt, --from-file or stdin; never an argument)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "list" -d 'List secret names and when they last changed (never values)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "get" -d 'Show a secret, masked unless --reveal'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Delete a secret (with a recovery window unless --force)'
complete -c lam -n "__fish_lam_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lam -n "__fish_lam_using_subcommand events; and not __fish_seen_subcommand_from list generate help" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand events; and not __fish_seen_subcommand_from list generate help" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand events; and not __fish_seen_subcommand_from list generate help" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand events; and not __fish_seen_subcommand_from list generate help" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand events; and not __fish_seen_subcommand_from list generate help" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand events; and not __fish_seen_subcommand_from list generate help" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand events; and not __fish_seen_subcommand_from list generate help" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand events; and not __fish_seen_subcommand_from list generate help" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand events; and not __fish_seen_subcommand_from list generate help" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand events; and not __fish_seen_subcommand_from list generate help" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand events; and not __fish_seen_subcommand_from list generate help" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand events; and not __fish_seen_subcommand_from list generate help" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand events; and not __fish_seen_subcommand_from list generate help" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand events; and not __fish_seen_subcommand_from list generate help" -f -a "list" -d 'List the event sources lam can generate'
complete -c lam -n "__fish_lam_using_subcommand events; and not __fish_seen_subcommand_from list generate help" -f -a "generate" -d 'Print a sample event for SOURCE'
complete -c lam -n "__fish_lam_using_subcommand events; and not __fish_seen_subcommand_from list generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from list" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from list" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from list" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from list" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from list" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from list" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from list" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from list" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l method -d 'HTTP method of HTTP events' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l path -d 'Request path of HTTP events' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l query -d 'Query parameter (repeatable)' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l header -d 'Header (repeatable)' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l path-param -d 'Path parameter (repeatable)' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l body -d 'Body or message: text, or @FILE' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l bucket -d 'S3 bucket of S3 events' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l key -d 'S3 object key of S3 events' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l size -d 'S3 object size in bytes' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l count -d 'Records in a batch (SQS, Kinesis, DynamoDB, Kafka, MQ)' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l seed -d 'Make ids and timestamps reproducible' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from generate" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the event sources lam can generate'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "generate" -d 'Print a sample event for SOURCE'
complete -c lam -n "__fish_lam_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lam -n "__fish_lam_using_subcommand status" -l env-file -d 'Compare as `lam deploy --env-file FILE` would deploy' -r
complete -c lam -n "__fish_lam_using_subcommand status" -l role -d 'Compare as `lam deploy --role ARN` would deploy' -r
complete -c lam -n "__fish_lam_using_subcommand status" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand status" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand status" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand status" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand status" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand status" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand status" -l check -d 'Exit with code 1 when local code or configuration differs from what is deployed'
complete -c lam -n "__fish_lam_using_subcommand status" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand status" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand status" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand status" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand status" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand status" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand status" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand destroy" -s f -l function -d 'Only this function (default: every function of the stage)' -r
complete -c lam -n "__fish_lam_using_subcommand destroy" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand destroy" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand destroy" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand destroy" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand destroy" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand destroy" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand destroy" -l logs -d 'Also delete the functions\' CloudWatch log groups'
complete -c lam -n "__fish_lam_using_subcommand destroy" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand destroy" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand destroy" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand destroy" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand destroy" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand destroy" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand destroy" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand trust" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand trust" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand trust" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand trust" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand trust" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand trust" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand trust" -l revoke -d 'Forget the trust given to this lam.toml'
complete -c lam -n "__fish_lam_using_subcommand trust" -l check -d 'Only say whether this content is trusted (exit 1 when not)'
complete -c lam -n "__fish_lam_using_subcommand trust" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand trust" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand trust" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand trust" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand trust" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand trust" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand trust" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand doctor" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand doctor" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand doctor" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand doctor" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand doctor" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand doctor" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand doctor" -l no-aws -d 'Skip the AWS checks (no network)'
complete -c lam -n "__fish_lam_using_subcommand doctor" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand doctor" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand doctor" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand doctor" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand doctor" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand completions" -l profile -d 'AWS named profile to use (default: AWS_PROFILE or "default")' -r
complete -c lam -n "__fish_lam_using_subcommand completions" -l region -d 'AWS region (default: AWS_REGION, the profile\'s region, or [project] region)' -r
complete -c lam -n "__fish_lam_using_subcommand completions" -l endpoint-url -d 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server' -r
complete -c lam -n "__fish_lam_using_subcommand completions" -l stage -d 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")' -r
complete -c lam -n "__fish_lam_using_subcommand completions" -s C -d 'Run as if lam was started in DIR' -r -F
complete -c lam -n "__fish_lam_using_subcommand completions" -l output -d 'Output format: human-readable text, or exactly one JSON document on stdout' -r -f -a "text\t''
json\t''"
complete -c lam -n "__fish_lam_using_subcommand completions" -s y -l yes -d 'Answer yes to every confirmation (required for destructive actions without a terminal)'
complete -c lam -n "__fish_lam_using_subcommand completions" -s v -l verbose -d 'Show each AWS call with its duration (-vv: also request ids and step timings)'
complete -c lam -n "__fish_lam_using_subcommand completions" -s q -l quiet -d 'Print only results and errors'
complete -c lam -n "__fish_lam_using_subcommand completions" -l no-color -d 'Never use colour (also when NO_COLOR is set)'
complete -c lam -n "__fish_lam_using_subcommand completions" -l trust -d 'Trust this project\'s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)'
complete -c lam -n "__fish_lam_using_subcommand completions" -s h -l help -d 'Print help'
complete -c lam -n "__fish_lam_using_subcommand completions" -s V -l version -d 'Print version'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "new" -d 'Create a new function project from a template'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "build" -d 'Package the function code into a reproducible zip in .lam/build/'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "test" -d 'Run the project\'s own tests with the function\'s dependencies (pytest, node --test)'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "deploy" -d 'Create or update the function on AWS so that it matches lam.toml'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "rollback" -d 'Point the function\'s alias back at an earlier version'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "invoke" -d 'Invoke the function on AWS, or locally with --local'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "logs" -d 'Show the function\'s CloudWatch logs, optionally following new events'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "stats" -d 'Invocations, cold starts, durations, memory and cost, from the REPORT lines'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "serve" -d 'Serve the functions locally as an API Gateway and a Lambda Invoke API'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "dev" -d 'Run the deployed function\'s real invocations on this machine until Ctrl-C'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "debug-config" -d 'Write the editor\'s debugger configurations for `--debug` runs'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "env" -d 'Show and edit the function\'s environment variables'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "secrets" -d 'Manage secrets in AWS Secrets Manager without ever printing them'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "events" -d 'List and generate sample trigger events (API Gateway, S3, SQS, ...)'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "status" -d 'Show what is deployed and whether local code differs'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "destroy" -d 'Delete what lam created for the stage'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "trust" -d 'Trust this lam.toml\'s settings that run code or widen IAM (recorded for its exact content)'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "doctor" -d 'Check this machine (and the project here) for what lam needs, with what to do'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c lam -n "__fish_lam_using_subcommand help; and not __fish_seen_subcommand_from new build test deploy rollback invoke logs stats serve dev debug-config env secrets events status destroy trust doctor completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lam -n "__fish_lam_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "list" -d 'Show the effective variables for the stage (secret-looking values masked)'
complete -c lam -n "__fish_lam_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "diff" -d 'Compare lam.toml\'s variables with the deployed function\'s'
complete -c lam -n "__fish_lam_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "set" -d 'Set variables in lam.toml, keeping its comments and layout'
complete -c lam -n "__fish_lam_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "unset" -d 'Remove variables from lam.toml'
complete -c lam -n "__fish_lam_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "set" -d 'Store a secret (read from a hidden prompt, --from-file or stdin; never an argument)'
complete -c lam -n "__fish_lam_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "list" -d 'List secret names and when they last changed (never values)'
complete -c lam -n "__fish_lam_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "get" -d 'Show a secret, masked unless --reveal'
complete -c lam -n "__fish_lam_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "rm" -d 'Delete a secret (with a recovery window unless --force)'
complete -c lam -n "__fish_lam_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "list" -d 'List the event sources lam can generate'
complete -c lam -n "__fish_lam_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "generate" -d 'Print a sample event for SOURCE'
