import type { InputName } from '../../src/constants.js'
import type { RunnerIO } from '../../src/io.js'
import { MemoryLog } from '../../src/log.js'

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
  return io
}
