
use builtin;
use str;

set edit:completion:arg-completer[lam] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'lam'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'lam'= {
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand new 'Create a new function project from a template'
            cand build 'Package the function code into a reproducible zip in .lam/build/'
            cand deploy 'Create or update the function on AWS so that it matches lam.toml'
            cand rollback 'Point the function''s alias back at an earlier version'
            cand invoke 'Invoke the function on AWS, or locally with --local'
            cand logs 'Show the function''s CloudWatch logs, optionally following new events'
            cand stats 'Invocations, cold starts, durations, memory and cost, from the REPORT lines'
            cand serve 'Serve the functions locally as an API Gateway and a Lambda Invoke API'
            cand debug-config 'Write the editor''s debugger configurations for `--debug` runs'
            cand env 'Show and edit the function''s environment variables'
            cand secrets 'Manage secrets in AWS Secrets Manager without ever printing them'
            cand events 'List and generate sample trigger events (API Gateway, S3, SQS, ...)'
            cand status 'Show what is deployed and whether local code differs'
            cand destroy 'Delete what lam created for the stage'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lam;new'= {
            cand -r 'Lambda runtime (python3.10..python3.14, nodejs20.x..nodejs24.x), or just python / node'
            cand --runtime 'Lambda runtime (python3.10..python3.14, nodejs20.x..nodejs24.x), or just python / node'
            cand -t 'Template to start from (see --list)'
            cand --template 'Template to start from (see --list)'
            cand --api 'HTTP endpoint to configure in lam.toml'
            cand --bucket 'Bucket whose uploads invoke the function (template s3-image)'
            cand --schedule 'When the function runs: rate(...) or cron(...) (template scheduled; default rate(15 minutes))'
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand --force 'Write into an existing non-empty directory'
            cand --list 'List the available templates and exit'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;build'= {
            cand -f 'Build only this function (the key under [functions.<name>])'
            cand --function 'Build only this function (the key under [functions.<name>])'
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand --list 'Print the files that go into the zip instead of building it'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;deploy'= {
            cand -f 'Deploy only this function (the key under [functions.<name>])'
            cand --function 'Deploy only this function (the key under [functions.<name>])'
            cand --role 'IAM role ARN for the function (overrides `role` in lam.toml)'
            cand --s3-bucket 'Bucket for packages over Lambda''s 50 MB direct-upload limit (overrides [build] s3_bucket)'
            cand --keep-versions 'After publishing, delete older versions that no alias points at, keeping the newest N'
            cand --env-file 'Also deploy the variables of this dotenv file (lam.toml''s env wins on conflicts); .env files are never deployed otherwise'
            cand --concurrency 'How many functions to deploy at once'
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand --dry-run 'Show what would change without changing anything'
            cand --adopt 'Take over a function of the same name that lam did not create (lam tags it and manages it from then on); without it such a function is refused'
            cand --watch 'After deploying, keep syncing changes until Ctrl-C: code edits update $LATEST''s code, requirement edits the dependency layer, lam.toml edits run a full deploy (the alias keeps serving the last published version)'
            cand --logs 'With --watch: print the functions'' logs as `lam logs --follow` does'
            cand --force 'With --watch: sync a stage marked `protected = true` all the same'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;rollback'= {
            cand --to 'Version to point the alias at (default: the version before the current one)'
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;invoke'= {
            cand -e 'Event JSON: a file path, or - for stdin (default: {})'
            cand --event 'Event JSON: a file path, or - for stdin (default: {})'
            cand --event-source 'Generate the event instead, as `lam events generate SOURCE` would (e.g. apigw-rest)'
            cand --method 'HTTP method of HTTP events'
            cand --path 'Request path of HTTP events'
            cand --query 'Query parameter (repeatable)'
            cand --header 'Header (repeatable)'
            cand --path-param 'Path parameter (repeatable)'
            cand --body 'Body or message: text, or @FILE'
            cand --bucket 'S3 bucket of S3 events'
            cand --key 'S3 object key of S3 events'
            cand --size 'S3 object size in bytes'
            cand --count 'Records in a batch (SQS, Kinesis, DynamoDB, Kafka, MQ)'
            cand --seed 'Make ids and timestamps reproducible'
            cand --debug-port 'The first function''s debugger port; a function listens on it plus its place in lam.toml, as under `lam serve --debug` (default: 5678 when the first function is Python, 9229 when it is Node.js)'
            cand --client-context 'Client context as a JSON object (the Invoke API''s ClientContext): the handler reads it as context.client_context (Python) or context.clientContext (Node.js)'
            cand --tenant-id 'Tenant of a multi-tenant function (the Invoke API''s TenantId): the handler reads it as context.tenant_id (Python) or context.tenantId (Node.js)'
            cand --qualifier 'Version or alias to invoke (remote only)'
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand -l 'Run the handler on this machine through lam''s Lambda Runtime API emulator'
            cand --local 'Run the handler on this machine through lam''s Lambda Runtime API emulator'
            cand --ric 'With --local: run the official runtime client (awslambdaric for Python, aws-lambda-ric for Node.js) instead of lam''s bootstrap'
            cand --debug 'With --local: run the handler under a debugger (Python: debugpy, Node.js: the inspector) and wait for one to attach'
            cand --no-wait 'With --debug: run at once instead of waiting for a debugger to attach'
            cand --profile-init 'With --local: where the cold start goes (interpreter, each import, module-level code): Python''s -X importtime, compiled from source as on Lambda; Node.js: a CPU profile of the handler''s import'
            cand --async 'Invoke asynchronously (InvocationType Event) and print the request id'
            cand --tail 'Then print the invocation''s complete log from CloudWatch (not just the last 4 KB)'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;logs'= {
            cand --since 'Start time: a duration ago (10m, 2h, 1d) or an ISO-8601 timestamp'
            cand --until 'End time, in the same forms as --since'
            cand --filter 'CloudWatch Logs filter pattern'
            cand --request-id 'Only events of this invocation'
            cand --format 'How to print each event'
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand -f 'Keep printing new events until Ctrl-C (through a CloudWatch Live Tail session where the endpoint has one, else by polling)'
            cand --follow 'Keep printing new events until Ctrl-C (through a CloudWatch Live Tail session where the endpoint has one, else by polling)'
            cand --poll 'Follow by polling FilterLogEvents, not Live Tail (Live Tail sessions are billed per minute)'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;stats'= {
            cand --since 'Start time: a duration ago (1h, 24h, 7d) or an ISO-8601 timestamp'
            cand --until 'End time, in the same forms as --since'
            cand --qualifier 'Only this version, or the version this alias points to'
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;serve'= {
            cand --host 'Address to listen on; anything but loopback also needs --allow-remote'
            cand -p 'Port to listen on'
            cand --port 'Port to listen on'
            cand --concurrency 'Warm runtime processes kept per function (1..=64)'
            cand --debug-port 'The first function''s debugger port; the next functions take the ports after it (default: 5678 for Python, 9229 for Node.js)'
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand --allow-remote 'Let a --host other than loopback be used: anyone who can reach the port then runs your handlers with your AWS credentials'
            cand -w 'Restart runtime processes when project files change'
            cand --watch 'Restart runtime processes when project files change'
            cand --ric 'Run functions with the official runtime client (awslambdaric, aws-lambda-ric) instead of lam''s bootstrap'
            cand --debug 'Run each function under a debugger (Python: debugpy, Node.js: the inspector), one warm runtime per function, each on its own port'
            cand --no-wait 'With --debug: start the runtimes at once instead of waiting for a debugger to attach'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;debug-config'= {
            cand --debug-port 'The debugger port of the first function, as given to --debug-port'
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand --print 'Print the configurations instead of adding them to .vscode/launch.json'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;env'= {
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'Show the effective variables for the stage (secret-looking values masked)'
            cand diff 'Compare lam.toml''s variables with the deployed function''s'
            cand set 'Set variables in lam.toml, keeping its comments and layout'
            cand unset 'Remove variables from lam.toml'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lam;env;list'= {
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand --remote 'Show the variables of the deployed function instead'
            cand --show-values 'Do not mask values of keys that look secret'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;env;diff'= {
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand --show-values 'Do not mask values of keys that look secret'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;env;set'= {
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand --plain 'Set a key whose name looks secret (PASSWORD, TOKEN, KEY...) in lam.toml anyway; `lam secrets set` is the place for secrets'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;env;unset'= {
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;env;help'= {
            cand list 'Show the effective variables for the stage (secret-looking values masked)'
            cand diff 'Compare lam.toml''s variables with the deployed function''s'
            cand set 'Set variables in lam.toml, keeping its comments and layout'
            cand unset 'Remove variables from lam.toml'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lam;env;help;list'= {
        }
        &'lam;env;help;diff'= {
        }
        &'lam;env;help;set'= {
        }
        &'lam;env;help;unset'= {
        }
        &'lam;env;help;help'= {
        }
        &'lam;secrets'= {
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand set 'Store a secret (read from a hidden prompt, --from-file or stdin; never an argument)'
            cand list 'List secret names and when they last changed (never values)'
            cand get 'Show a secret, masked unless --reveal'
            cand rm 'Delete a secret (with a recovery window unless --force)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lam;secrets;set'= {
            cand --from-file 'Read the value from this file'
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;secrets;list'= {
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;secrets;get'= {
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand --reveal 'Print the value itself'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;secrets;rm'= {
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand --force 'Delete at once, without a recovery window'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;secrets;help'= {
            cand set 'Store a secret (read from a hidden prompt, --from-file or stdin; never an argument)'
            cand list 'List secret names and when they last changed (never values)'
            cand get 'Show a secret, masked unless --reveal'
            cand rm 'Delete a secret (with a recovery window unless --force)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lam;secrets;help;set'= {
        }
        &'lam;secrets;help;list'= {
        }
        &'lam;secrets;help;get'= {
        }
        &'lam;secrets;help;rm'= {
        }
        &'lam;secrets;help;help'= {
        }
        &'lam;events'= {
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the event sources lam can generate'
            cand generate 'Print a sample event for SOURCE'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lam;events;list'= {
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;events;generate'= {
            cand --method 'HTTP method of HTTP events'
            cand --path 'Request path of HTTP events'
            cand --query 'Query parameter (repeatable)'
            cand --header 'Header (repeatable)'
            cand --path-param 'Path parameter (repeatable)'
            cand --body 'Body or message: text, or @FILE'
            cand --bucket 'S3 bucket of S3 events'
            cand --key 'S3 object key of S3 events'
            cand --size 'S3 object size in bytes'
            cand --count 'Records in a batch (SQS, Kinesis, DynamoDB, Kafka, MQ)'
            cand --seed 'Make ids and timestamps reproducible'
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;events;help'= {
            cand list 'List the event sources lam can generate'
            cand generate 'Print a sample event for SOURCE'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lam;events;help;list'= {
        }
        &'lam;events;help;generate'= {
        }
        &'lam;events;help;help'= {
        }
        &'lam;status'= {
            cand --env-file 'Compare as `lam deploy --env-file FILE` would deploy'
            cand --role 'Compare as `lam deploy --role ARN` would deploy'
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand --check 'Exit with code 1 when local code or configuration differs from what is deployed'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;destroy'= {
            cand -f 'Only this function (default: every function of the stage)'
            cand --function 'Only this function (default: every function of the stage)'
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand --logs 'Also delete the functions'' CloudWatch log groups'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;completions'= {
            cand --profile 'AWS named profile to use (default: AWS_PROFILE or "default")'
            cand --region 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)'
            cand --endpoint-url 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server'
            cand --stage 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")'
            cand -C 'Run as if lam was started in DIR'
            cand --output 'Output format: human-readable text, or exactly one JSON document on stdout'
            cand -y 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand --yes 'Answer yes to every confirmation (required for destructive actions without a terminal)'
            cand -v 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand --verbose 'Show each AWS call with its duration (-vv: also request ids and step timings)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-color 'Never use colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lam;help'= {
            cand new 'Create a new function project from a template'
            cand build 'Package the function code into a reproducible zip in .lam/build/'
            cand deploy 'Create or update the function on AWS so that it matches lam.toml'
            cand rollback 'Point the function''s alias back at an earlier version'
            cand invoke 'Invoke the function on AWS, or locally with --local'
            cand logs 'Show the function''s CloudWatch logs, optionally following new events'
            cand stats 'Invocations, cold starts, durations, memory and cost, from the REPORT lines'
            cand serve 'Serve the functions locally as an API Gateway and a Lambda Invoke API'
            cand debug-config 'Write the editor''s debugger configurations for `--debug` runs'
            cand env 'Show and edit the function''s environment variables'
            cand secrets 'Manage secrets in AWS Secrets Manager without ever printing them'
            cand events 'List and generate sample trigger events (API Gateway, S3, SQS, ...)'
            cand status 'Show what is deployed and whether local code differs'
            cand destroy 'Delete what lam created for the stage'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lam;help;new'= {
        }
        &'lam;help;build'= {
        }
        &'lam;help;deploy'= {
        }
        &'lam;help;rollback'= {
        }
        &'lam;help;invoke'= {
        }
        &'lam;help;logs'= {
        }
        &'lam;help;stats'= {
        }
        &'lam;help;serve'= {
        }
        &'lam;help;debug-config'= {
        }
        &'lam;help;env'= {
            cand list 'Show the effective variables for the stage (secret-looking values masked)'
            cand diff 'Compare lam.toml''s variables with the deployed function''s'
            cand set 'Set variables in lam.toml, keeping its comments and layout'
            cand unset 'Remove variables from lam.toml'
        }
        &'lam;help;env;list'= {
        }
        &'lam;help;env;diff'= {
        }
        &'lam;help;env;set'= {
        }
        &'lam;help;env;unset'= {
        }
        &'lam;help;secrets'= {
            cand set 'Store a secret (read from a hidden prompt, --from-file or stdin; never an argument)'
            cand list 'List secret names and when they last changed (never values)'
            cand get 'Show a secret, masked unless --reveal'
            cand rm 'Delete a secret (with a recovery window unless --force)'
        }
        &'lam;help;secrets;set'= {
        }
        &'lam;help;secrets;list'= {
        }
        &'lam;help;secrets;get'= {
        }
        &'lam;help;secrets;rm'= {
        }
        &'lam;help;events'= {
            cand list 'List the event sources lam can generate'
            cand generate 'Print a sample event for SOURCE'
        }
        &'lam;help;events;list'= {
        }
        &'lam;help;events;generate'= {
        }
        &'lam;help;status'= {
        }
        &'lam;help;destroy'= {
        }
        &'lam;help;completions'= {
        }
        &'lam;help;help'= {
        }
    ]
    $completions[$command]
}
