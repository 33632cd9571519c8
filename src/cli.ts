import { CLI_HELP, parseCliArgs } from './cli-args.js'
import { terminalIO } from './io.js'
import { run } from './main.js'
import { getErrorMessage } from './redact.js'

/** The `contributor-metrics` command: the action's code with flags for inputs. */
export async function cli(argv: readonly string[]): Promise<void> {
  let args
  try {
    args = parseCliArgs(argv)
  } catch (error) {
    console.error(`error: ${getErrorMessage(error)}`)
    process.exitCode = 2
    return
  }
  if (args.help) {
    console.log(CLI_HELP)
    return
  }
  await run(terminalIO(args.flags, args.verbose))
}

await cli(process.argv.slice(2))
