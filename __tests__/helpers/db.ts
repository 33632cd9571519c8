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

/** A login role with a password that owns a test database, and the URL that connects as it. */
export interface PasswordLogin {
  readonly role: string
  readonly password: string
  /** The database's URL as this role, password included (percent-encoded). */
  readonly url: string
  /** Drops the role: call it after the database's drop(). */
  drop(): Promise<void>
}

/**
 * Makes `db` owned by a new role with a password (random unless given) and
 * returns the URL with that password in it: it connects whether the server
 * checks passwords (the embedded one, scram) or trusts local connections.
 */
export async function passwordLogin(
  db: TestDatabase,
  password = `Pw${randomBytes(12).toString('hex')}`
): Promise<PasswordLogin> {
  const role = `cm_role_${randomBytes(5).toString('hex')}`
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} })
  const name = new URL(db.url).pathname.slice(1)
  try {
    await admin.unsafe(`create role ${role} login password '${password.replaceAll("'", "''")}'`)
    await admin.unsafe(`alter database ${name} owner to ${role}`)
  } finally {
    await admin.end()
  }
  // Postgres 15+: the public schema belongs to the database owner, so the role may create tables in it.
  const url = new URL(db.url)
  url.username = role
  url.password = encodeURIComponent(password)
  return {
    role,
    password,
    url: url.toString(),
    drop: async () => {
      const again = postgres(adminUrl(), { max: 1, onnotice: () => {} })
      try {
        await again.unsafe(`drop role if exists ${role}`)
      } finally {
        await again.end()
      }
    }
  }
}
