import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Log } from '../log.js'
import type { Sql } from './connect.js'
import { beginSafely } from './transaction.js'

/** Advisory-lock key (two int4 halves) serialising migrations across runners. */
const LOCK_CLASS = 0x636d // 'cm'
const LOCK_ID = 1

export interface Migration {
  version: number
  name: string
  file: string
  checksum: string
  text: string
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/

/**
 * The `sql/` folder: beside `dist/` in the action's checkout, two levels up
 * from `src/db/` when run from source.
 */
export function findSqlDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url))
  for (const candidate of ['../sql', '../../sql', '../../../sql']) {
    const dir = path.resolve(here, candidate)
    if (existsSync(path.join(dir, '0001_seed_schema.sql'))) return dir
  }
  throw new Error(`Cannot find the sql/ migrations folder near ${here}.`)
}

export function loadMigrations(dir = findSqlDir()): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => FILE.test(f))
    .sort()
    .map((file) => {
      const [, version, name] = FILE.exec(file) as RegExpExecArray
      const text = readFileSync(path.join(dir, file), 'utf8')
      return { version: +version, name, file, text, checksum: createHash('sha256').update(text).digest('hex') }
    })
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration ${m.file} is out of sequence: expected version ${i + 1}.`)
  })
  return migrations
}

/**
 * Applies pending migrations in order, each in its own transaction under a
 * transaction-scoped advisory lock, and records them. Runners that start
 * together wait for each other; each migration is applied exactly once.
 * A migration file changed after it was applied is an error, not a re-run.
 * Returns the files applied by this call.
 */
export async function migrate(sql: Sql, log: Log, migrations = loadMigrations()): Promise<string[]> {
  await beginSafely(sql, async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK_CLASS}, ${LOCK_ID})`
    await tx`
      create table if not exists schema_migrations (
        version integer primary key,
        name varchar not null,
        checksum varchar not null,
        applied_at timestamptz not null default now()
      )`
  })
  const applied: string[] = []
  for (const m of migrations) {
    const done = await beginSafely(sql, async (tx) => {
      await tx`select pg_advisory_xact_lock(${LOCK_CLASS}, ${LOCK_ID})`
      const [row] = await tx<
        { checksum: string }[]
      >`select checksum from schema_migrations where version = ${m.version}`
      if (row) {
        if (row.checksum !== m.checksum) {
          throw new Error(
            `Migration ${m.file} was changed after it was applied (checksum differs); add a new migration instead.`
          )
        }
        return false
      }
      try {
        await tx.unsafe(m.text)
      } catch (error) {
        throw new Error(`Migration ${m.file} failed: ${(error as Error).message}`)
      }
      await tx`insert into schema_migrations (version, name, checksum) values (${m.version}, ${m.name}, ${m.checksum})`
      return true
    })
    if (done) {
      log.info(`Applied migration ${m.file}`)
      applied.push(m.file)
    }
  }
  return applied
}
