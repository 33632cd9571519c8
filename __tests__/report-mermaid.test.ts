// Every Mermaid block the report can write is rendered by Mermaid itself, in
// Debian's Chromium driven by playwright-core. Without a Chromium (a
// machine with only Node) the test is skipped, saying why; CI installs one.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderMarkdown } from '../src/report/markdown.js'
import { flowChart, peopleChart, responseChart } from '../src/report/mermaid.js'
import { emptyReport, months, sampleReport } from './helpers/sample-report.js'

// CHROMIUM_PATH, when set, is the only place looked at (CHROMIUM_PATH=/none shows the skip).
const CANDIDATES = process.env.CHROMIUM_PATH
  ? [process.env.CHROMIUM_PATH]
  : ['/usr/bin/chromium', '/usr/bin/chromium-browser']
const executable = CANDIDATES.find((p) => existsSync(p))
if (!executable) {
  console.log(
    `report-mermaid: skipped — no Chromium at ${CANDIDATES.join(', ')} (apt-get install chromium, or set CHROMIUM_PATH).`
  )
}

const mermaidJs = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js')

/** The ```mermaid blocks of a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1])
}

// CI sets REQUIRE_CHROMIUM=1 (.ci/run installs Debian's chromium): there a missing browser fails.
it.runIf(!executable && process.env.REQUIRE_CHROMIUM === '1')('a Chromium is installed (REQUIRE_CHROMIUM=1)', () => {
  expect(executable, `no Chromium at ${CANDIDATES.join(', ')}`).toBeDefined()
})

describe.skipIf(!executable)('Mermaid renders every block of the report (headless Chromium)', () => {
  let context: BrowserContext
  let page: Page
  const profile = mkdtempSync(path.join(os.tmpdir(), 'cm-chromium-'))

  beforeAll(async () => {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: executable,
      headless: true,
      offline: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    })
    page = context.pages()[0] ?? (await context.newPage())
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>')
    await page.addScriptTag({ path: mermaidJs })
    await page.evaluate(() => {
      ;(globalThis as unknown as { mermaid: { initialize(c: object): void } }).mermaid.initialize({
        startOnLoad: false,
        securityLevel: 'strict'
      })
    })
  }, 60_000)
  afterAll(async () => {
    await context?.close()
    rmSync(profile, { recursive: true, force: true })
  })

  /** Parses and renders one block; resolves to the SVG's size, rejects with Mermaid's error. */
  const render = (source: string, id: string): Promise<{ svg: number; kind: string }> =>
    page.evaluate(
      async ([src, key]) => {
        const m = (
          globalThis as unknown as {
            mermaid: {
              parse(s: string): Promise<{ diagramType: string }>
              render(id: string, s: string): Promise<{ svg: string }>
            }
          }
        ).mermaid
        const parsed = await m.parse(src)
        const { svg } = await m.render(key, src)
        if (!svg.startsWith('<svg') || /Syntax error/i.test(svg)) throw new Error(`bad SVG for ${key}`)
        return { svg: svg.length, kind: parsed.diagramType }
      },
      [source, id] as const
    )

  it('a broken block fails (the check can fail)', async () => {
    await expect(render('xychart-beta\n  x-axis [a, \n  bar [1, 2]', 'broken')).rejects.toThrow()
  })

  const cases: [string, string[]][] = [
    ['a busy report', mermaidBlocks(renderMarkdown(sampleReport()))],
    ['an empty report', mermaidBlocks(renderMarkdown(emptyReport()))],
    [
      'one month, and a pie of one slice',
      [
        responseChart(months(1)),
        flowChart(months(1)),
        peopleChart({ ...sampleReport().org.people, member_activity: 0, other_activity: 0, bot_activity: 9 }) ?? ''
      ].map((b) => mermaidBlocks(b)[0])
    ],
    [
      '24 months of large numbers',
      [responseChart(months(24)), flowChart(months(24).map((m) => ({ ...m, opened: m.opened * 1e4 })))].map(
        (b) => mermaidBlocks(b)[0]
      )
    ]
  ]
  for (const [name, blocks] of cases) {
    it(`${name}: every block parses and renders`, async () => {
      expect(blocks.length).toBeGreaterThan(0)
      for (const [k, block] of blocks.entries()) {
        const out = await render(block, `d${name.replace(/\W/g, '')}${k}`)
        expect(out.svg, block).toBeGreaterThan(500)
        expect(['xychart', 'pie']).toContain(out.kind)
      }
    })
  }

  it('the summary of a busy report has the three charts', () => {
    const kinds = mermaidBlocks(renderMarkdown(sampleReport())).map((b) => b.split('\n')[0].split(' ')[0])
    expect(kinds).toEqual(['xychart-beta', 'xychart-beta', 'pie'])
  })
})
