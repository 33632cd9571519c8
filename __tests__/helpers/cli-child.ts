// The terminal command (src/cli.ts) as a child process for the kill matrix,
// with one difference: the clock. src/cli.ts runs on the wall clock, so two
// runs minutes apart would store different times in their cursors; here the
// clock is CM_TEST_NOW (the simulated GitHub's world time, which stands
// still), as run() gets it in-process from the test helpers. Everything else
// is the CLI's: flags parsed by parseCliArgs, terminalIO, run().
//
//   node --import tsx __tests__/helpers/cli-child.ts --mode issues --api-url … --database-url …
import { parseCliArgs } from '../../src/cli-args.js'
import { terminalIO } from '../../src/io.js'
import { run } from '../../src/main.js'

const at = process.env.CM_TEST_NOW
if (!at || Number.isNaN(Date.parse(at))) throw new Error(`CM_TEST_NOW must be an ISO date-time, got '${at}'`)
const now = new Date(at)
const args = parseCliArgs(process.argv.slice(2))
// msPerSecond as in the in-process helpers: a retry wait of N seconds takes N ms.
await run(terminalIO(args.flags, args.verbose), { clock: () => now, msPerSecond: 1, requestTimeoutMs: 10_000 })
