import { Inputs, TASKS, type InputName } from './constants.js'
import { InputError } from './inputs.js'

const NAMES = new Set<string>(Object.values(Inputs))

export interface CliArgs {
  readonly flags: ReadonlyMap<InputName, string>
  readonly help: boolean
  readonly verbose: boolean
}

/** Parses `--name value` / `--name=value` flags; names are the action's input names. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const flags = new Map<InputName, string>()
  let help = false
  let verbose = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--help' || arg === '-h') {
      help = true
      continue
    }
    if (arg === '--verbose' || arg === '-v') {
      verbose = true
      continue
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg)
    if (!m) throw new InputError(`Unexpected argument '${arg}'. Flags look like --mode issues; see --help.`)
    const [, name, inline] = m
    if (!NAMES.has(name)) throw new InputError(`Unknown flag '--${name}'. See --help for the flags.`)
    let value = inline
    if (value === undefined) {
      value = argv[i + 1]
      if (value === undefined || value.startsWith('--')) throw new InputError(`Flag '--${name}' needs a value.`)
      i++
    }
    flags.set(name as InputName, value)
  }
  return { flags, help, verbose }
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
  --backfill-timelines, --budget-reserve, --max-rate-limit-wait, --shard k/n
  --format            report: print it to stdout as md, json or text (logs go to stderr)
  --report-file       report: write the JSON report here (and the Markdown beside it, .md)

Report of the last 30 days (no GitHub token needed):
  contributor-metrics --mode report --format text
  contributor-metrics --mode report --since 2025-01-01 --until 2025-03-31 --format json > report.json
  --verbose           debug lines and outputs
  --help              this text
`
