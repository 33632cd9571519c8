// The secret scan: every run a test makes through testIO() (and every CLI
// process a test registers) is remembered with the secrets it was given — the
// GitHub token and every database password in its inputs and environment.
// After each test (__tests__/setup/secret-scan.ts) everything those runs
// showed — log lines, the failure, job summaries, outputs, printed text, the
// report file and its Markdown — and everything written to this process's
// stdout, stderr and console during the test is searched for each secret;
// a hit fails the test, naming where the secret was seen (never the secret).
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'

/** Secrets shorter than this are placeholders ('t', 'p') that would match ordinary words: not searched. */
export const MIN_SECRET_LENGTH = 6

/** One run (or CLI process) to scan: its secrets and, when the test ends, what it showed. */
export interface ScannedRun {
  readonly label: string
  readonly secrets: readonly string[]
  /** Named texts the run showed, read when the scan runs (after the test). */
  texts(): Record<string, string>
}

const runs: ScannedRun[] = []
let scannedRuns = 0
let scannedSecrets = 0

/** Remembers a run for the scan after the current test. */
export function registerRun(run: ScannedRun): void {
  runs.push(run)
}

/** The runs registered since the last scan, and forgets them. */
export function takeRuns(): ScannedRun[] {
  return runs.splice(0, runs.length)
}

/** How many runs and secrets the scans of this test file have covered (the dedicated test checks it grows). */
export function scanStats(): { runs: number; secrets: number } {
  return { runs: scannedRuns, secrets: scannedSecrets }
}

/**
 * Every secret in a run's inputs and environment: the token, and for each
 * database URL its password (raw and percent-decoded, and a `password=`
 * query parameter). Short placeholders are left out (MIN_SECRET_LENGTH).
 */
export function secretsOf(inputs: Readonly<Record<string, string | undefined>>, env: NodeJS.ProcessEnv = {}): string[] {
  const out = new Set<string>()
  const add = (s: string | undefined): void => {
    const v = s?.trim()
    if (v && v.length >= MIN_SECRET_LENGTH) out.add(v)
  }
  add(inputs['github-token'])
  add(env.GITHUB_TOKEN)
  for (const url of [inputs['database-url'], env.DATABASE_URL]) for (const p of passwordsIn(url ?? '')) add(p)
  return [...out]
}

/**
 * The passwords a database URL carries, however mangled the URL: the parsed
 * password (raw and decoded), the text between `user:` and the last `@`
 * (what a redaction that stops at the first `@` or `/` would leave), and
 * `password=` / `sslpassword=` parameters.
 */
export function passwordsIn(raw: string): string[] {
  const out: string[] = []
  try {
    const url = new URL(raw)
    if (url.password) out.push(url.password, safeDecode(url.password))
    for (const key of ['password', 'sslpassword']) {
      const v = url.searchParams.get(key)
      if (v) out.push(v)
    }
  } catch {
    // not a URL: the textual forms below still find it
  }
  // Textually: after `scheme://` (or a typo of it), what follows `user:` up to the last `@`.
  let rest = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
  if (rest === raw) rest = raw.replace(/^[a-z][a-z0-9+.-]*(?::\/?|\/\/)(?=[^:@]*:)/i, '')
  const at = rest.lastIndexOf('@')
  const colon = at > 0 ? rest.slice(0, at).indexOf(':') : -1
  if (colon >= 0) {
    const p = rest.slice(colon + 1, at)
    if (p) out.push(p, safeDecode(p))
  }
  for (const q of raw.matchAll(/[?&](?:ssl)?password=([^&#]*)/gi)) if (q[1]) out.push(q[1], safeDecode(q[1]))
  return out
}

function isFile(f: string): boolean {
  try {
    return statSync(f).isFile()
  } catch {
    return false
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** Where each secret shows in `texts` (names only; the secret is described by its length). */
export function findLeaks(secrets: readonly string[], texts: Record<string, string>): string[] {
  const leaks: string[] = []
  for (const [i, secret] of secrets.entries()) {
    for (const [where, text] of Object.entries(texts)) {
      if (text.includes(secret)) leaks.push(`secret #${i + 1} (${secret.length} chars) in ${where}`)
    }
  }
  return leaks
}

/** The report file and its Markdown beside it, if the run was given one and wrote them. */
export function reportFiles(reportFile: string | undefined): Record<string, string> {
  if (!reportFile) return {}
  const file = path.resolve(reportFile)
  const markdown = file.endsWith('.json') ? `${file.slice(0, -'.json'.length)}.md` : `${file}.md`
  const out: Record<string, string> = {}
  for (const f of [file, markdown]) if (isFile(f)) out[`file ${path.basename(f)}`] = readFileSync(f, 'utf8')
  return out
}

/**
 * Scans the runs registered since the last scan, plus `streams` (what the
 * process wrote during the test), against all of their secrets. Throws
 * naming every leak.
 */
export function scanRegistered(streams: Record<string, string> = {}): void {
  const taken = takeRuns()
  const all = new Set<string>()
  const leaks: string[] = []
  for (const run of taken) {
    for (const s of run.secrets) all.add(s)
    leaks.push(...findLeaks(run.secrets, run.texts()).map((l) => `${run.label}: ${l}`))
  }
  // Process streams: any secret of any run of this test (a run's lines may be printed by another).
  leaks.push(...findLeaks([...all], streams).map((l) => `process output: ${l}`))
  scannedRuns += taken.length
  scannedSecrets += all.size
  if (leaks.length > 0) throw new Error(`Secret scan: a token or password was shown:\n${leaks.join('\n')}`)
}

const captured: Record<'stdout' | 'stderr' | 'console', string[]> = { stdout: [], stderr: [], console: [] }
let capturing = false

const asText = (chunk: unknown): string =>
  typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk)

/**
 * From now on, keeps a copy of everything this process writes to stdout,
 * stderr and the console (still written as before), for drainStreams().
 */
export function startCapture(): void {
  if (capturing) return
  capturing = true
  for (const [name, stream] of [
    ['stdout', process.stdout],
    ['stderr', process.stderr]
  ] as const) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      captured[name].push(asText(chunk))
      return write(chunk, ...rest)
    }) as typeof stream.write
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method].bind(console)
    console[method] = (...args: unknown[]) => {
      captured.console.push(args.map(asText).join(' '))
      original(...args)
    }
  }
}

/** What was written since the last drain, by stream; forgets it. */
export function drainStreams(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, lines] of Object.entries(captured)) out[name] = lines.splice(0, lines.length).join('')
  return out
}
