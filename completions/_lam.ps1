
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'lam' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'lam'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'lam' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create a new function project from a template')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Package the function code into a reproducible zip in .lam/build/')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Run the project''s own tests with the function''s dependencies (pytest, node --test)')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Create or update the function on AWS so that it matches lam.toml')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Point the function''s alias back at an earlier version')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Invoke the function on AWS, or locally with --local')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show the function''s CloudWatch logs, optionally following new events')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Invocations, cold starts, durations, memory and cost, from the REPORT lines')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the functions locally as an API Gateway and a Lambda Invoke API')
            [CompletionResult]::new('dev', 'dev', [CompletionResultType]::ParameterValue, 'Run the deployed function''s real invocations on this machine until Ctrl-C')
            [CompletionResult]::new('debug-config', 'debug-config', [CompletionResultType]::ParameterValue, 'Write the editor''s debugger configurations for `--debug` runs')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Show and edit the function''s environment variables')
            [CompletionResult]::new('secrets', 'secrets', [CompletionResultType]::ParameterValue, 'Manage secrets in AWS Secrets Manager without ever printing them')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'List and generate sample trigger events (API Gateway, S3, SQS, ...)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show what is deployed and whether local code differs')
            [CompletionResult]::new('destroy', 'destroy', [CompletionResultType]::ParameterValue, 'Delete what lam created for the stage')
            [CompletionResult]::new('trust', 'trust', [CompletionResultType]::ParameterValue, 'Trust this lam.toml''s settings that run code or widen IAM (recorded for its exact content)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check this machine (and the project here) for what lam needs, with what to do')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lam;new' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Lambda runtime (python3.10..python3.14, nodejs20.x..nodejs24.x), or just python / node')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'Lambda runtime (python3.10..python3.14, nodejs20.x..nodejs24.x), or just python / node')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Template to start from (see --list)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Template to start from (see --list)')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'HTTP endpoint to configure in lam.toml')
            [CompletionResult]::new('--bucket', '--bucket', [CompletionResultType]::ParameterName, 'Bucket whose uploads invoke the function (template s3-image)')
            [CompletionResult]::new('--schedule', '--schedule', [CompletionResultType]::ParameterName, 'When the function runs: rate(...) or cron(...) (template scheduled; default rate(15 minutes))')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write into an existing non-empty directory')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the available templates and exit')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;build' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Build only this function (the key under [functions.<name>])')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Build only this function (the key under [functions.<name>])')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'Print the files that go into the zip instead of building it')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;test' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Test only this function''s directory (the key under [functions.<name>])')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Test only this function''s directory (the key under [functions.<name>])')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;deploy' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Deploy only this function (the key under [functions.<name>])')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Deploy only this function (the key under [functions.<name>])')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'IAM role ARN for the function (overrides `role` in lam.toml)')
            [CompletionResult]::new('--s3-bucket', '--s3-bucket', [CompletionResultType]::ParameterName, 'Bucket for packages over Lambda''s 50 MB direct-upload limit (overrides [build] s3_bucket)')
            [CompletionResult]::new('--keep-versions', '--keep-versions', [CompletionResultType]::ParameterName, 'After publishing, delete older versions that no alias points at, keeping the newest N')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Also deploy the variables of this dotenv file (lam.toml''s env wins on conflicts); .env files are never deployed otherwise')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many functions to deploy at once')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('--allow-public-wildcard-role', '--allow-public-wildcard-role', [CompletionResultType]::ParameterName, 'Deploy a public endpoint (function URL with auth NONE, REST or HTTP API) in front of a role that lam.toml grants wildcard IAM permissions')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change without changing anything')
            [CompletionResult]::new('--adopt', '--adopt', [CompletionResultType]::ParameterName, 'Take over a function of the same name that lam did not create (lam tags it and manages it from then on); without it such a function is refused')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'After deploying, keep syncing changes until Ctrl-C: code edits update $LATEST''s code, requirement edits the dependency layer, lam.toml edits run a full deploy (the alias keeps serving the last published version)')
            [CompletionResult]::new('--logs', '--logs', [CompletionResultType]::ParameterName, 'With --watch: print the functions'' logs as `lam logs --follow` does')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'With --watch: sync a stage marked `protected = true` all the same')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;rollback' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Version to point the alias at (default: the version before the current one)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;invoke' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Event JSON: a file path, or - for stdin (default: {})')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'Event JSON: a file path, or - for stdin (default: {})')
            [CompletionResult]::new('--event-source', '--event-source', [CompletionResultType]::ParameterName, 'Generate the event instead, as `lam events generate SOURCE` would (e.g. apigw-rest)')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'HTTP method of HTTP events')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Request path of HTTP events')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query parameter (repeatable)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Header (repeatable)')
            [CompletionResult]::new('--path-param', '--path-param', [CompletionResultType]::ParameterName, 'Path parameter (repeatable)')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Body or message: text, or @FILE')
            [CompletionResult]::new('--bucket', '--bucket', [CompletionResultType]::ParameterName, 'S3 bucket of S3 events')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'S3 object key of S3 events')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'S3 object size in bytes')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Records in a batch (SQS, Kinesis, DynamoDB, Kafka, MQ)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Make ids and timestamps reproducible')
            [CompletionResult]::new('--debug-port', '--debug-port', [CompletionResultType]::ParameterName, 'The first function''s debugger port; a function listens on it plus its place in lam.toml, as under `lam serve --debug` (default: 5678 when the first function is Python, 9229 when it is Node.js)')
            [CompletionResult]::new('--client-context', '--client-context', [CompletionResultType]::ParameterName, 'Client context as a JSON object (the Invoke API''s ClientContext): the handler reads it as context.client_context (Python) or context.clientContext (Node.js)')
            [CompletionResult]::new('--tenant-id', '--tenant-id', [CompletionResultType]::ParameterName, 'Tenant of a multi-tenant function (the Invoke API''s TenantId): the handler reads it as context.tenant_id (Python) or context.tenantId (Node.js)')
            [CompletionResult]::new('--qualifier', '--qualifier', [CompletionResultType]::ParameterName, 'Version or alias to invoke (remote only)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Run the handler on this machine through lam''s Lambda Runtime API emulator')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Run the handler on this machine through lam''s Lambda Runtime API emulator')
            [CompletionResult]::new('--ric', '--ric', [CompletionResultType]::ParameterName, 'With --local: run the official runtime client (awslambdaric for Python, aws-lambda-ric for Node.js) instead of lam''s bootstrap')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'With --local: run the handler under a debugger (Python: debugpy, Node.js: the inspector) and wait for one to attach')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'With --debug: run at once instead of waiting for a debugger to attach')
            [CompletionResult]::new('--profile-init', '--profile-init', [CompletionResultType]::ParameterName, 'With --local: where the cold start goes (interpreter, each import, module-level code): Python''s -X importtime, compiled from source as on Lambda; Node.js: a CPU profile of the handler''s import')
            [CompletionResult]::new('--async', '--async', [CompletionResultType]::ParameterName, 'Invoke asynchronously (InvocationType Event) and print the request id')
            [CompletionResult]::new('--tail', '--tail', [CompletionResultType]::ParameterName, 'Then print the invocation''s complete log from CloudWatch (not just the last 4 KB)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;logs' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start time: a duration ago (10m, 2h, 1d) or an ISO-8601 timestamp')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End time, in the same forms as --since')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'CloudWatch Logs filter pattern')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Only events of this invocation')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print each event')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing new events until Ctrl-C (through a CloudWatch Live Tail session where the endpoint has one, else by polling)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing new events until Ctrl-C (through a CloudWatch Live Tail session where the endpoint has one, else by polling)')
            [CompletionResult]::new('--poll', '--poll', [CompletionResultType]::ParameterName, 'Follow by polling FilterLogEvents, not Live Tail (Live Tail sessions are billed per minute)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;stats' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start time: a duration ago (1h, 24h, 7d) or an ISO-8601 timestamp')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End time, in the same forms as --since')
            [CompletionResult]::new('--qualifier', '--qualifier', [CompletionResultType]::ParameterName, 'Only this version, or the version this alias points to')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;serve' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address to listen on; anything but loopback also needs --allow-remote')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Port to listen on')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to listen on')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Warm runtime processes kept per function (1..=64)')
            [CompletionResult]::new('--debug-port', '--debug-port', [CompletionResultType]::ParameterName, 'The first function''s debugger port; the next functions take the ports after it (default: 5678 for Python, 9229 for Node.js)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('--allow-remote', '--allow-remote', [CompletionResultType]::ParameterName, 'Let a --host other than loopback be used: anyone who can reach the port then runs your handlers with your AWS credentials')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Restart runtime processes when project files change')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Restart runtime processes when project files change')
            [CompletionResult]::new('--ric', '--ric', [CompletionResultType]::ParameterName, 'Run functions with the official runtime client (awslambdaric, aws-lambda-ric) instead of lam''s bootstrap')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Run each function under a debugger (Python: debugpy, Node.js: the inspector), one warm runtime per function, each on its own port')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'With --debug: start the runtimes at once instead of waiting for a debugger to attach')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;dev' {
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Invocations run at once on this machine (1..=64); more wait')
            [CompletionResult]::new('--debug-port', '--debug-port', [CompletionResultType]::ParameterName, 'The first function''s debugger port; the next functions take the ports after it')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Put the deployed code back and remove what a session made, then exit')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Take over a stage marked protected all the same')
            [CompletionResult]::new('--as-role', '--as-role', [CompletionResultType]::ParameterName, 'Let you assume the function''s role for the session (a statement in its trust policy, removed on stop), so the handler runs with the role''s permissions; unprotected stages only')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Run each function under a debugger (Python: debugpy, Node.js: the inspector), one runtime per function; raise the function''s timeout to stop at breakpoints on real events')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'With --debug: run at once instead of waiting for a debugger to attach')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;debug-config' {
            [CompletionResult]::new('--debug-port', '--debug-port', [CompletionResultType]::ParameterName, 'The debugger port of the first function, as given to --debug-port')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('--print', '--print', [CompletionResultType]::ParameterName, 'Print the configurations instead of adding them to .vscode/launch.json')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;env' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the effective variables for the stage (secret-looking values masked)')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare lam.toml''s variables with the deployed function''s')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set variables in lam.toml, keeping its comments and layout')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove variables from lam.toml')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lam;env;list' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Show the variables of the deployed function instead')
            [CompletionResult]::new('--show-values', '--show-values', [CompletionResultType]::ParameterName, 'Do not mask values of keys that look secret')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;env;diff' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('--show-values', '--show-values', [CompletionResultType]::ParameterName, 'Do not mask values of keys that look secret')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;env;set' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('--plain', '--plain', [CompletionResultType]::ParameterName, 'Set a key whose name looks secret (PASSWORD, TOKEN, KEY...) in lam.toml anyway; `lam secrets set` is the place for secrets')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;env;unset' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;env;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the effective variables for the stage (secret-looking values masked)')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare lam.toml''s variables with the deployed function''s')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set variables in lam.toml, keeping its comments and layout')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove variables from lam.toml')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lam;env;help;list' {
            break
        }
        'lam;env;help;diff' {
            break
        }
        'lam;env;help;set' {
            break
        }
        'lam;env;help;unset' {
            break
        }
        'lam;env;help;help' {
            break
        }
        'lam;secrets' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store a secret (read from a hidden prompt, --from-file or stdin; never an argument)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List secret names and when they last changed (never values)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show a secret, masked unless --reveal')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a secret (with a recovery window unless --force)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lam;secrets;set' {
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Read the value from this file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;secrets;list' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;secrets;get' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Print the value itself')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;secrets;rm' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Delete at once, without a recovery window')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;secrets;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store a secret (read from a hidden prompt, --from-file or stdin; never an argument)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List secret names and when they last changed (never values)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show a secret, masked unless --reveal')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a secret (with a recovery window unless --force)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lam;secrets;help;set' {
            break
        }
        'lam;secrets;help;list' {
            break
        }
        'lam;secrets;help;get' {
            break
        }
        'lam;secrets;help;rm' {
            break
        }
        'lam;secrets;help;help' {
            break
        }
        'lam;events' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the event sources lam can generate')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Print a sample event for SOURCE')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lam;events;list' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;events;generate' {
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'HTTP method of HTTP events')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Request path of HTTP events')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query parameter (repeatable)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Header (repeatable)')
            [CompletionResult]::new('--path-param', '--path-param', [CompletionResultType]::ParameterName, 'Path parameter (repeatable)')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Body or message: text, or @FILE')
            [CompletionResult]::new('--bucket', '--bucket', [CompletionResultType]::ParameterName, 'S3 bucket of S3 events')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'S3 object key of S3 events')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'S3 object size in bytes')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Records in a batch (SQS, Kinesis, DynamoDB, Kafka, MQ)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Make ids and timestamps reproducible')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;events;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the event sources lam can generate')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Print a sample event for SOURCE')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lam;events;help;list' {
            break
        }
        'lam;events;help;generate' {
            break
        }
        'lam;events;help;help' {
            break
        }
        'lam;status' {
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Compare as `lam deploy --env-file FILE` would deploy')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Compare as `lam deploy --role ARN` would deploy')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Exit with code 1 when local code or configuration differs from what is deployed')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;destroy' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Only this function (default: every function of the stage)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Only this function (default: every function of the stage)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('--logs', '--logs', [CompletionResultType]::ParameterName, 'Also delete the functions'' CloudWatch log groups')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;trust' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('--revoke', '--revoke', [CompletionResultType]::ParameterName, 'Forget the trust given to this lam.toml')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Only say whether this content is trusted (exit 1 when not)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;doctor' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('--no-aws', '--no-aws', [CompletionResultType]::ParameterName, 'Skip the AWS checks (no network)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;completions' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile to use (default: AWS_PROFILE or "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, the profile''s region, or [project] region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (also AWS_ENDPOINT_URL), e.g. a local moto server')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage whose [stages.<STAGE>] overrides apply (default: [project] default_stage or "dev")')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if lam was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: human-readable text, or exactly one JSON document on stdout')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (required for destructive actions without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each AWS call with its duration (-vv: also request ids and step timings)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never use colour (also when NO_COLOR is set)')
            [CompletionResult]::new('--trust', '--trust', [CompletionResultType]::ParameterName, 'Trust this project''s lam.toml for this run: its install scripts, interpolated credentials and wildcard IAM statements take effect (see `lam trust`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lam;help' {
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create a new function project from a template')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Package the function code into a reproducible zip in .lam/build/')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Run the project''s own tests with the function''s dependencies (pytest, node --test)')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Create or update the function on AWS so that it matches lam.toml')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Point the function''s alias back at an earlier version')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Invoke the function on AWS, or locally with --local')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show the function''s CloudWatch logs, optionally following new events')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Invocations, cold starts, durations, memory and cost, from the REPORT lines')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the functions locally as an API Gateway and a Lambda Invoke API')
            [CompletionResult]::new('dev', 'dev', [CompletionResultType]::ParameterValue, 'Run the deployed function''s real invocations on this machine until Ctrl-C')
            [CompletionResult]::new('debug-config', 'debug-config', [CompletionResultType]::ParameterValue, 'Write the editor''s debugger configurations for `--debug` runs')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Show and edit the function''s environment variables')
            [CompletionResult]::new('secrets', 'secrets', [CompletionResultType]::ParameterValue, 'Manage secrets in AWS Secrets Manager without ever printing them')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'List and generate sample trigger events (API Gateway, S3, SQS, ...)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show what is deployed and whether local code differs')
            [CompletionResult]::new('destroy', 'destroy', [CompletionResultType]::ParameterValue, 'Delete what lam created for the stage')
            [CompletionResult]::new('trust', 'trust', [CompletionResultType]::ParameterValue, 'Trust this lam.toml''s settings that run code or widen IAM (recorded for its exact content)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check this machine (and the project here) for what lam needs, with what to do')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lam;help;new' {
            break
        }
        'lam;help;build' {
            break
        }
        'lam;help;test' {
            break
        }
        'lam;help;deploy' {
            break
        }
        'lam;help;rollback' {
            break
        }
        'lam;help;invoke' {
            break
        }
        'lam;help;logs' {
            break
        }
        'lam;help;stats' {
            break
        }
        'lam;help;serve' {
            break
        }
        'lam;help;dev' {
            break
        }
        'lam;help;debug-config' {
            break
        }
        'lam;help;env' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the effective variables for the stage (secret-looking values masked)')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare lam.toml''s variables with the deployed function''s')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set variables in lam.toml, keeping its comments and layout')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove variables from lam.toml')
            break
        }
        'lam;help;env;list' {
            break
        }
        'lam;help;env;diff' {
            break
        }
        'lam;help;env;set' {
            break
        }
        'lam;help;env;unset' {
            break
        }
        'lam;help;secrets' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store a secret (read from a hidden prompt, --from-file or stdin; never an argument)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List secret names and when they last changed (never values)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show a secret, masked unless --reveal')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a secret (with a recovery window unless --force)')
            break
        }
        'lam;help;secrets;set' {
            break
        }
        'lam;help;secrets;list' {
            break
        }
        'lam;help;secrets;get' {
            break
        }
        'lam;help;secrets;rm' {
            break
        }
        'lam;help;events' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the event sources lam can generate')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Print a sample event for SOURCE')
            break
        }
        'lam;help;events;list' {
            break
        }
        'lam;help;events;generate' {
            break
        }
        'lam;help;status' {
            break
        }
        'lam;help;destroy' {
            break
        }
        'lam;help;trust' {
            break
        }
        'lam;help;doctor' {
            break
        }
        'lam;help;completions' {
            break
        }
        'lam;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
