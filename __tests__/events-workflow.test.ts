// .github/workflows/nrt-events.yml: every 10 minutes off the top of the
// hour, dispatchable, never cancels a running sync, read-only, pinned, App
// token passed on, mode: issues then events (detection and timelines in one run).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

// js-yaml ships no types; the one function used here is typed locally.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown }
type Doc = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
const file = path.resolve(import.meta.dirname, '..', '.github', 'workflows', 'nrt-events.yml')
const text = readFileSync(file, 'utf8')
const doc = yaml.load(text) as Doc

describe('nrt-events workflow', () => {
  it('runs every 10 minutes, never at minute 0, and on dispatch', () => {
    expect(doc.on.schedule).toEqual([{ cron: '4-59/10 * * * *' }])
    expect(doc.on).toHaveProperty('workflow_dispatch')
  })

  it('never cancels a running sync and asks for read access only', () => {
    expect(doc.concurrency['cancel-in-progress']).toBe(false)
    expect(doc.permissions).toEqual({})
    expect(doc.jobs.events.permissions).toEqual({ contents: 'read' })
  })

  it('pins every action to a commit with a version comment and passes the App token', () => {
    for (const m of text.matchAll(/uses: (\S+)@(\S+)(.*)/g)) {
      expect(m[2], m[1]).toMatch(/^[0-9a-f]{40}$/)
      expect(m[3], m[1]).toMatch(/# v\d+\.\d+\.\d+/)
    }
    const steps = doc.jobs.events.steps as Doc[]
    const token = steps.find((s) => String(s.uses).startsWith('actions/create-github-app-token@'))
    expect(token?.with).toMatchObject({
      'client-id': '${{ secrets.APP_CLIENT_ID }}',
      'private-key': '${{ secrets.APP_PRIVATE_KEY }}',
      owner: '${{ github.repository_owner }}',
      'permission-issues': 'read',
      'permission-pull-requests': 'read'
    })
    const sync = steps.find((s) => s.uses === './')
    // issues finds what changed, then events reads those timelines, in the same run.
    expect(String(sync?.with?.mode).split(',').slice(0, 2)).toEqual(['issues', 'events'])
    expect(sync?.with).toEqual({
      mode: sync?.with?.mode,
      'github-token': `\${{ steps.${token?.id}.outputs.token }}`,
      'database-url': '${{ secrets.DATABASE_URL }}'
    })
  })
})
