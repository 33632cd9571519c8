import type { InputName } from '../../src/constants.js'
import type { RunnerIO } from '../../src/io.js'
import { MemoryLog } from '../../src/log.js'
import { registerRun, reportFiles, secretsOf } from './secret-scan.js'

/** A RunnerIO for tests: inputs from a map, outputs and secrets recorded. */
export interface TestIO extends RunnerIO {
  readonly log: MemoryLog
  readonly outputs: Map<string, string>
  readonly secrets: string[]
  readonly summaries: string[]
  /** What the run printed to standard output (the report with `format`). */
  readonly printed: string[]
  failure?: string
}

let made = 0

/**
 * A test IO. Every one is registered with the secret scan
 * (helpers/secret-scan.ts): after the test, its log lines, failure,
 * summaries, outputs, printed text and report file are searched for the
 * token and database passwords in `inputs` and `env`, and a hit fails the test.
 */
export function testIO(inputs: Partial<Record<InputName, string>>, env: NodeJS.ProcessEnv = {}): TestIO {
  const io: TestIO = {
    readInput: (name) => inputs[name] ?? '',
    env,
    log: new MemoryLog(),
    outputs: new Map(),
    secrets: [],
    summaries: [],
    printed: [],
    print: (text) => io.printed.push(text),
    setSecret: (v) => io.secrets.push(v),
    setOutput: (n, v) => io.outputs.set(n, v),
    writeSummary: async (md) => {
      io.summaries.push(md)
    },
    setFailed: (m) => {
      io.failure = m
    }
  }
  made++
  registerRun({
    label: `testIO #${made} (mode ${inputs.mode ?? '?'})`,
    secrets: secretsOf(inputs, env),
    texts: () => ({
      log: io.log.lines.join('\n'),
      failure: io.failure ?? '',
      summary: io.summaries.join('\n'),
      outputs: [...io.outputs].map(([k, v]) => `${k}=${v}`).join('\n'),
      printed: io.printed.join('\n'),
      ...reportFiles(inputs['report-file'])
    })
  })
  return io
}
