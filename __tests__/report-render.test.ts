// The report's renderers are pure: Markdown (escaping, caps, charts followed
// by their tables), terminal text, JSON and the short output.
import { describe, expect, it } from 'vitest'
import type { Report, WaitingItem } from '../src/model/report.js'
import { formatChange, formatHours, formatPeriod, formatShare } from '../src/report/format.js'
import { HEADLINE } from '../src/report/headline.js'
import { renderJson, reportOutput } from '../src/report/json.js'
import { cell, renderMarkdown, SUMMARY_REPOS, SUMMARY_WAITING } from '../src/report/markdown.js'
import { renderText } from '../src/report/text.js'
import { emptyReport, sampleReport, scope } from './helpers/sample-report.js'

const waitingItem = (k: number): WaitingItem => ({
  repo: `repo-${k % 7}`,
  number: k,
  kind: 'issue',
  title: `Item ${k}`,
  html_url: `https://github.com/acme/repo-${k % 7}/issues/${k}`,
  author: `user-${k}`,
  waiting_since: new Date(Date.UTC(2024, 0, 1) + k * 3_600_000).toISOString(),
  waited_hours: 10_000 - k
})

/** A report of a very large org: 3,000 repositories, 20,000 waiting items. */
function hugeReport(): Report {
  const r = sampleReport()
  return {
    ...r,
    repositories: Array.from({ length: 3000 }, (_, k) => ({
      repo: `repository-with-a-long-name-${k}`,
      ...scope(1, 5)
    })),
    waiting_on_us: Array.from({ length: 20_000 }, (_, k) => waitingItem(k))
  }
}

describe('formatting', () => {
  it('reads durations in minutes, hours or days, and changes with their sign', () => {
    expect(formatHours(null)).toBe('—')
    expect(formatHours(0.5)).toBe('30 min')
    expect(formatHours(5.5)).toBe('5.5 h')
    expect(formatHours(72)).toBe('3.0 d')
    expect(formatShare(0.1234)).toBe('12.3%')
    expect(formatChange('count', 12, 10)).toBe('+2 (+20%)')
    expect(formatChange('hours', 2, 4)).toBe('−2.0 h (−50%)')
    expect(formatChange('share', 0.5, 0.25)).toBe('+25.0 pp')
    expect(formatChange('count', 3, 3)).toBe('±0')
    expect(formatChange('hours', null, 3)).toBe('—')
    expect(formatPeriod({ since: '2025-05-02T00:00:00.000Z', until: '2025-06-01T00:00:00.000Z' })).toBe(
      '2025-05-02 – 2025-05-31'
    )
  })

  it('makes titles inert in a table cell: no HTML, mentions, links or column breaks', () => {
    const text = cell('Crash <script>alert(1)</script> | @octocat [x](http://e) `code` *b*')
    expect(text).not.toMatch(/<script>/)
    expect(text).not.toMatch(/(^|[^\\])\|/)
    expect(text).not.toContain('@octocat')
    expect(text).toContain('\\[x\\]')
    expect(text).toContain('\\`code\\`')
  })
})

describe('Markdown summary', () => {
  const md = renderMarkdown(sampleReport())

  it('has the headline of both periods with each change', () => {
    for (const f of HEADLINE) expect(md).toContain(`| ${f.label} |`)
    expect(md).toMatch(/\| Items opened \| 100 \| 125 \| −25 \(−20%\) \|/)
    expect(md).toMatch(/\| Waiting on us \(now\) \| 3 \|  \|  \|/)
    expect(md).toContain('| 2025-05-02 – 2025-05-31 | 2025-04-02 – 2025-05-01 | change |')
  })

  it('follows every chart with a table of its numbers', () => {
    const lines = md.split('\n')
    const ends = lines.flatMap((l, i) => (l === '```' ? [i] : []))
    expect(ends).toHaveLength(3)
    for (const end of ends) expect(lines.slice(end + 1, end + 3).join('\n')).toMatch(/^\n?\| /)
  })

  it('lists the longest waits as links, and a repository per row (escaped)', () => {
    expect(md).toContain('[api\\#12](https://github.com/acme/api/issues/12)')
    expect(md).toContain('| web\\|ui |')
    expect(md).toContain('&lt;script&gt;')
  })

  it('says so when nothing is stored, and draws no empty pie', () => {
    const empty = renderMarkdown(emptyReport())
    expect(empty).toContain('Nothing is waiting on a member.')
    expect(empty).toContain('No activity stored for the period.')
    expect(empty).not.toContain('pie title')
  })

  it('stays far below the 1 MiB step summary limit for a huge org (caps; the JSON has everything)', () => {
    const huge = hugeReport()
    const text = renderMarkdown(huge)
    expect(Buffer.byteLength(text)).toBeLessThan(256 * 1024)
    expect(text).toContain(`… and ${3000 - SUMMARY_REPOS} more repositories in the JSON report.`)
    expect(text.match(/\]\(https:\/\/github.com\/acme\/repo-\d\/issues\/\d+\)/g)).toHaveLength(SUMMARY_WAITING)
    expect(JSON.parse(renderJson(huge)).waiting_on_us).toHaveLength(20_000)
  })
})

describe('JSON and terminal text', () => {
  it('writes snake_case fields, durations in hours rounded to 4 decimals', () => {
    const r = sampleReport()
    const json = JSON.parse(renderJson({ ...r, org: { ...r.org, waiting_on_us: 1 }, as_of: r.as_of }))
    const keys = (v: unknown): string[] =>
      v && typeof v === 'object'
        ? Object.entries(v).flatMap(([k, x]) => [...(Array.isArray(v) ? [] : [k]), ...keys(x)])
        : []
    for (const k of keys(json)) expect(k).toMatch(/^[a-z0-9_]+$/)
    expect(json.repositories[0].time_to_first_response.issues).toEqual({
      n: 10,
      p50: 3.5,
      p75: 5.25,
      p90: 10.5,
      mean: 4.2,
      censored: 0,
      censored_age_p50: null
    })
  })

  it('the report output is short and names the file', () => {
    const out = reportOutput(hugeReport(), '/tmp/report.json')
    expect(out.length).toBeLessThan(600)
    expect(JSON.parse(out)).toMatchObject({
      since: '2025-05-02T00:00:00.000Z',
      file: '/tmp/report.json',
      opened: 100,
      waiting_on_us: 3,
      time_to_first_response_p50: { issues: 3.5, pull_requests: 0.4 }
    })
  })

  it('prints aligned tables and a bar chart for a terminal', () => {
    const text = renderText(sampleReport())
    expect(text).toMatch(/^Items opened\s+100\s+125\s+−25 \(−20%\)$/m)
    expect(text).toMatch(/^2025-06 {2}opened 83 █+$/m)
    expect(text).toMatch(/^api#12 /m)
    expect(renderText(emptyReport())).toContain('Waiting on us: nothing.')
  })
})
