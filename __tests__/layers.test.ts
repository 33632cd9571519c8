// The one-way layers of src/ are a lint error, not a convention: the rule
// `npm run lint` runs passes on the tree and catches each kind of planted
// violation.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '..')
const bin = path.join(root, 'node_modules', '.bin', 'depcruise')

function cruise(cwd: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync(bin, ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']
    })
    return { ok: true, output }
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string }
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

describe('layer rule (dependency-cruiser)', () => {
  const dirs: string[] = []
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

  it('passes on the source tree', () => {
    const result = cruise(root)
    expect(result.output).not.toMatch(/error/)
    expect(result.ok).toBe(true)
  })

  it('fails on planted violations of every rule, naming each', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cm-layers-'))
    dirs.push(dir)
    cpSync(path.join(root, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'))
    cpSync(path.join(root, 'tsconfig.json'), path.join(dir, 'tsconfig.json'))
    const files: Record<string, string> = {
      'src/model/row.ts': "import { fetchIt } from '../github/fetch.js'\nexport const row = fetchIt\n",
      'src/github/fetch.ts': "import { store } from '../db/store.js'\nexport const fetchIt = store\n",
      'src/db/store.ts': "import { task } from '../tasks/task.js'\nexport const store = 1\nexport const t = task\n",
      'src/tasks/task.ts': "import { run } from '../main.js'\nexport const task = 2\nexport const r = run\n",
      'src/main.ts': "export const run = 3\nimport '../src/nowhere.js'\n",
      'src/report/render.ts': "import { store } from '../db/store.js'\nexport const render = store\n",
      'src/log.ts': "import { task } from './tasks/task.js'\nexport const log = task\n",
      'src/tasks/ping.ts': "import { pong } from './pong.js'\nexport const ping = () => pong()\n",
      'src/tasks/pong.ts': "import { ping } from './ping.js'\nexport const pong = () => ping()\n"
    }
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
      writeFileSync(path.join(dir, file), text)
    }
    const result = cruise(dir)
    expect(result.ok).toBe(false)
    for (const rule of [
      'model-imports-nothing',
      'github-talks-to-github-only',
      'db-is-postgres-only',
      'tasks-do-not-reach-up',
      'report-renders-model-only',
      'leaves-stay-leaves',
      'no-unresolvable',
      'no-circular'
    ]) {
      expect(result.output, rule).toContain(rule)
    }
  })
})

describe('SQL lives in src/db/', () => {
  it('no module outside src/db/ runs a query', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs')
    const offenders: string[] = []
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name)
        if (statSync(file).isDirectory()) walk(file)
        else if (file.endsWith('.ts') && !file.includes(`${path.sep}db${path.sep}`)) {
          // A postgres.js tagged query (sql`…`, tx`…`, sql<T>`…`) or an unsafe string query.
          if (/\b(sql|tx|reserved)(<[^`]*>)?`|\.unsafe\(/.test(readFileSync(file, 'utf8'))) offenders.push(file)
        }
      }
    }
    walk(path.join(root, 'src'))
    expect(offenders).toEqual([])
  })
})
