import { parseArgs } from 'node:util'
import { Inputs, TASKS, type InputName } from './constants.js'
import { InputError } from './inputs.js'

export interface CliArgs {
  readonly flags: ReadonlyMap<InputName, string>
  readonly help: boolean
  readonly verbose: boolean
}

const NAMES = Object.values(Inputs) as InputName[]

/** Parses `--name value` / `--name=value` flags (node:util parseArgs); names are the action's input names. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(NAMES.map((name) => [name, { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
        verbose: { type: 'boolean', short: 'v' }
      }
    })
  } catch (error) {
    throw cliError(error)
  }
  const flags = new Map<InputName, string>()
  for (const name of NAMES) {
    const value = (parsed.values as Record<string, string | boolean | undefined>)[name]
    if (typeof value === 'string') flags.set(name, value)
  }
  return { flags, help: parsed.values.help === true, verbose: parsed.values.verbose === true }
}

/** parseArgs's errors, in words that name the flag and point at --help. */
function cliError(error: unknown): InputError {
  const code = (error as { code?: string }).code
  const message = (error as Error).message ?? String(error)
  const flag = /'(-[^' ]+)/.exec(message)?.[1]
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new InputError(`Unknown flag '${flag ?? message}'. See --help for the flags.`)
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new InputError(`${message.replace(/\.$/, '')}. Flags look like --mode issues; see --help.`)
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new InputError(`Flag '${flag ?? '?'}' needs a value, e.g. --mode issues or --since=2024-05-01.`)
    default:
      return new InputError(message)
  }
}

export const CLI_HELP = `contributor-metrics — sync an organisation's contributor activity into Postgres, and report on it

Usage: contributor-metrics --mode <tasks> [flags]

Flags (the action's inputs):
  --mode              ${TASKS.join(', ')} (comma-separated, run in order)
  --org               organisation login
  --repos             repository names or globs, comma-separated (default: all readable)
  --github-token      token (default: $GITHUB_TOKEN)
  --api-url           REST API URL (default: $GITHUB_API_URL or https://api.github.com)
  --database-url      postgres:// URL (default: $DATABASE_URL, else an embedded Postgres)
  --data-dir          embedded Postgres data folder (default: .data/postgres)
  --since, --until    ISO-8601 date or date-time
  --include-archived, --overlap-minutes, --closed-days, --lookback-days,
  --backfill-timelines, --budget-reserve, --max-rate-limit-wait, --shard k/n,
  --timeline-api      graphql (default) or rest
  --format            report: print it to stdout as md, json or text (logs go to stderr)
  --report-file       report: write the JSON report here (and the Markdown beside it, .md)
  --verbose           debug lines and outputs
  --help              this text

Report of the last 30 days (no GitHub token needed):
  contributor-metrics --mode report --format text
  contributor-metrics --mode report --since 2025-01-01 --until 2025-03-31 --format json > report.json
`
