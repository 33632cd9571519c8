// `npm run sim -- --seed 1 --repos 4 --items 2000 [--members 25] [--port 0]`
// Starts the simulator with a generated org and runs until Ctrl-C.
import { parseArgs } from 'node:util'
import { startSim } from './index.js'

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    repos: { type: 'string', default: '4' },
    items: { type: 'string', default: '2000' },
    members: { type: 'string', default: '25' },
    org: { type: 'string', default: 'acme' },
    port: { type: 'string', default: '0' }
  }
})

const num = (name: string, v: string | undefined): number => {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) throw new Error(`Invalid --${name} '${v}'. Expected a non-negative integer.`)
  return n
}

const t0 = performance.now()
const sim = await startSim({
  port: num('port', values.port),
  generate: {
    seed: num('seed', values.seed),
    org: values.org,
    repos: num('repos', values.repos),
    items: num('items', values.items),
    members: num('members', values.members)
  }
})
const ms = Math.round(performance.now() - t0)
const org = sim.world.org
const repo = sim.world.repos[0]?.name ?? 'api'
const n = sim.world.repos[0]?.list.find((i) => !i.deleted && !i.movedTo)?.number ?? 1
console.log(
  `Simulated GitHub for org '${org}' (${sim.world.repos.length} repos, ${values.items} items) generated in ${ms} ms`
)
console.log(
  `Listening on ${sim.url}  (any token gets full access; without one you are unauthenticated: 60 requests an hour)\n`
)
console.log('Try:')
console.log(`  curl -si '${sim.url}/orgs/${org}/repos' | head -20`)
console.log(
  `  curl -si -H 'Authorization: token x' '${sim.url}/repos/${org}/${repo}/issues?state=all&per_page=5' | grep -i '^link'`
)
console.log(
  `  curl -s '${sim.url}/search/issues?q=org:${org}+is:pr+is:merged+created:2025-01-01..2025-03-31&per_page=1' | head -c 300`
)
console.log(
  `  E=$(curl -si '${sim.url}/repos/${org}/${repo}/issues/${n}/timeline' | grep -i '^etag' | cut -d' ' -f2 | tr -d '\\r')`
)
console.log(
  `  curl -si -H "If-None-Match: $E" '${sim.url}/repos/${org}/${repo}/issues/${n}/timeline' | head -1   # 304`
)
console.log(`  curl -s '${sim.url}/rate_limit'`)
console.log('\nCtrl-C to stop.')

const stop = (): void => {
  void sim.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
