// The shipped weekly report workflow, and the README's example that posts the
// report as an issue through the reusable workflow.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown }
const root = path.resolve(import.meta.dirname, '..')
type Doc = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

describe('report workflow', () => {
  const doc = yaml.load(readFileSync(path.join(root, '.github/workflows/report.yml'), 'utf8')) as Doc

  it('runs weekly off the top of the hour, read-only, never cancelled, without a GitHub token', () => {
    const [{ cron }] = doc.on.schedule
    const [minute, , , , weekday] = cron.split(' ')
    expect(minute).not.toBe('0')
    expect(weekday).toMatch(/^[0-6]$/)
    expect(doc.on.workflow_dispatch.inputs).toHaveProperty('since')
    expect(doc.permissions).toEqual({})
    expect(doc.concurrency['cancel-in-progress']).toBe(false)
    const job = doc.jobs.report
    expect(job.permissions).toEqual({ contents: 'read' })
    const step = (job.steps as Doc[]).find((s) => s.uses === './')
    expect(step?.with).toMatchObject({ mode: 'report', 'database-url': '${{ secrets.DATABASE_URL }}' })
    expect(step?.with['report-file']).toMatch(/report\.json$/)
    expect(step?.with).not.toHaveProperty('github-token')
    expect((job.steps as Doc[]).some((s) => /create-github-app-token/.test(s.uses ?? ''))).toBe(false)
  })

  it('the README posts the report as an issue from the reusable workflow in a few lines', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
    const block = /```yaml\n(# [^\n]*post the report[^]*?)```/i.exec(readme)?.[1] ?? ''
    const example = yaml.load(block) as Doc
    expect(example.jobs.report.uses).toMatch(/\/contributor-metrics\/\.github\/workflows\/sync-reusable\.yml@/)
    expect(example.jobs.report.with).toMatchObject({ mode: 'report' })
    expect(example.jobs.report.with['report-file']).toBeTruthy()
    const post = example.jobs.post
    expect(post.needs).toBe('report')
    expect(post.permissions).toEqual({ issues: 'write' })
    expect(JSON.stringify(post.steps)).toContain('needs.report.outputs.report-markdown')
  })
})
