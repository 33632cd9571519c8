// The committed bundle, as the runner starts it: `node dist/index.js` with
// INPUT_* variables, pointed at a GitHub-compatible server (the simulator),
// fills issues and pull_requests with what that server holds.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSim, type Sim } from '../sim/index.js'
import { createTestDatabase, type TestDatabase } from './helpers/db.js'
import { dbBriefs, worldBriefs } from './helpers/world-rows.js'

const root = path.resolve(import.meta.dirname, '..')

function runDist(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'index.js')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env }
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, out }))
  })
}

describe('node dist/index.js', () => {
  let db: TestDatabase
  let sim: Sim
  beforeAll(async () => {
    db = await createTestDatabase()
    sim = await startSim({ generate: { seed: 5, org: 'acme', repos: 3, items: 400, members: 5 } })
  })
  afterAll(async () => {
    await sim?.close()
    await db.drop()
  })

  it('with INPUT_MODE=migrate,issues fills issues and pull_requests', async () => {
    const { code, out } = await runDist({
      INPUT_MODE: 'migrate,issues',
      'INPUT_GITHUB-TOKEN': 'any-token',
      'INPUT_API-URL': sim.url,
      'INPUT_DATABASE-URL': db.url,
      INPUT_ORG: 'acme'
    })
    expect(code, out).toBe(0)
    // Only the runner's mask command may carry the token.
    expect(out.split('\n').filter((l) => l.includes('any-token') && !l.startsWith('::add-mask::'))).toEqual([])
    const selected = sim.world.repos.filter((r) => !r.archived).map((r) => r.name)
    expect(await dbBriefs(db.sql)).toEqual(worldBriefs(sim, selected))
  })
})
