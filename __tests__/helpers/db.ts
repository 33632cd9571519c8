import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { inject } from 'vitest'
import { connectionOptions, type Sql } from '../../src/db/connect.js'

/** A fresh, empty database for one test file (or test), dropped by `drop()`. */
export interface TestDatabase {
  readonly url: string
  readonly sql: Sql
  drop(): Promise<void>
}

export function adminUrl(): string {
  return inject('adminDatabaseUrl')
}

export async function createTestDatabase(prefix = 'cm_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} })
  try {
    await admin`create database ${admin(name)}`
  } finally {
    await admin.end()
  }
  const url = new URL(adminUrl())
  url.pathname = `/${name}`
  const sql = postgres(url.toString(), connectionOptions())
  return {
    url: url.toString(),
    sql,
    drop: async () => {
      await sql.end({ timeout: 5 })
      const again = postgres(adminUrl(), { max: 1, onnotice: () => {} })
      try {
        await again`drop database if exists ${again(name)} with (force)`
      } finally {
        await again.end()
      }
    }
  }
}

/** Table names in the public schema, sorted. */
export async function tableNames(sql: Sql): Promise<string[]> {
  const rows = await sql<{ table_name: string }[]>`
    select table_name from information_schema.tables where table_schema = 'public' order by table_name`
  return rows.map((r) => r.table_name)
}
