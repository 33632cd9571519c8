/**
 * The README's first command: the main job end to end on the embedded
 * default. (Grows as tasks land: the simulated GitHub and the sync tasks.)
 */
import { run } from '../src/main.js'
import { terminalIO } from '../src/io.js'
import type { InputName } from '../src/constants.js'

const flags = new Map<InputName, string>([
  ['mode', 'migrate'],
  ['data-dir', '.data/demo']
])
const report = await run(terminalIO(flags))
if (!report.ok) process.exitCode = 1
