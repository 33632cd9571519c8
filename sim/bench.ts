// `npm run sim:bench` — generates the benchmark-size org (20 repos, 50,000
// issues and PRs, ~500,000 timeline items), reports time and memory, then
// serves a few representative REST and GraphQL requests from it.
import { generateWorld } from './generate.js'
import { startSim } from './index.js'

const opts = { seed: 1, repos: 20, items: 50_000, members: 200 }
global.gc?.()
const heap0 = process.memoryUsage().heapUsed
const t0 = performance.now()
const world = generateWorld(opts)
const genMs = performance.now() - t0
global.gc?.()
const mem = process.memoryUsage()
let timeline = 0
let maxTimeline = 0
let over100 = 0
for (const r of world.repos) {
  for (const i of r.list) {
    timeline += i.timeline.length
    maxTimeline = Math.max(maxTimeline, i.timeline.length)
    if (i.timeline.length > 100) over100++
  }
}
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MB`
console.log(`generated ${opts.items} items, ${timeline} timeline items in ${world.repos.length} repos`)
console.log(`  timelines > 100: ${over100}, longest: ${maxTimeline}`)
console.log(`  generation: ${(genMs / 1000).toFixed(1)} s`)
console.log(`  heap held by the world: ${mb(mem.heapUsed - heap0)} (heapUsed ${mb(mem.heapUsed)}, rss ${mb(mem.rss)})`)

const sim = await startSim({ world })
const busy = world.repos[0]
const longest = world.repos.flatMap((r) => r.list).reduce((a, b) => (b.timeline.length > a.timeline.length ? b : a))
const paths = [
  `/repos/${world.org}/${busy.name}/issues?state=all&sort=updated&per_page=100`,
  `/repos/${world.org}/${busy.name}/issues?state=all&since=${new Date(world.nowMs() - 86_400_000 * 7).toISOString()}`,
  `/repos/${world.org}/${longest.repo.name}/issues/${longest.number}/timeline?per_page=100&page=5`,
  `/repos/${world.org}/${busy.name}/issues/events?per_page=100`,
  `/repos/${world.org}/${busy.name}/issues/comments?per_page=100&page=50`,
  `/repos/${world.org}/${busy.name}/pulls?state=all&per_page=100`,
  `/search/issues?q=org:${world.org}+is:pr+is:merged+created:2024-01-01..2024-06-30&per_page=100`
]
for (const p of paths) {
  const t = performance.now()
  const res = await fetch(sim.url + p, { headers: { authorization: 'token bench' } })
  const body = await res.text()
  console.log(
    `  ${res.status} ${(performance.now() - t).toFixed(0).padStart(5)} ms ${(body.length / 1024).toFixed(0).padStart(5)} KiB  ${p.slice(0, 100)}`
  )
}
// GraphQL over the same world: resolvers render per request.
const gqlQueries: [string, string, Record<string, unknown>][] = [
  [
    'search 100 changed items with their first 100 timeline items',
    `query($q: String!) { rateLimit { cost } search(query: $q, type: ISSUE, first: 100) { issueCount nodes {
      ... on Issue { number timelineItems(first: 100) { totalCount nodes { __typename ... on IssueComment { id body } } } }
      ... on PullRequest { number timelineItems(first: 100) { totalCount nodes { __typename ... on IssueComment { id body } } } } } } }`,
    { q: `org:${world.org} updated:>=${new Date(world.nowMs() - 86_400_000 * 30).toISOString().slice(0, 10)}` }
  ],
  [
    'nodes(ids: 100 issues) { timelineItems(first: 100) }',
    `query($ids: [ID!]!) { rateLimit { cost } nodes(ids: $ids) { ... on Issue { timelineItems(first: 100) { totalCount } }
      ... on PullRequest { timelineItems(first: 100) { totalCount } } } }`,
    {
      ids: busy.list
        .filter((i) => !i.deleted && !i.movedTo)
        .slice(-100)
        .map((i) => `${i.isPull ? 'PR' : 'I'}_kwDO${Buffer.from(String(i.id)).toString('base64url')}`)
    }
  ],
  [
    'the 1,000+ item timeline, its last 100 items',
    `query($o: String!, $r: String!, $n: Int!) { rateLimit { cost } repository(owner: $o, name: $r) {
      issueOrPullRequest(number: $n) { ... on Issue { timelineItems(last: 100) { totalCount } }
      ... on PullRequest { timelineItems(last: 100) { totalCount } } } } }`,
    { o: world.org, r: longest.repo.name, n: longest.number }
  ],
  [
    'busiest repo: 100 issues by updatedAt',
    `query($o: String!, $r: String!) { rateLimit { cost } repository(owner: $o, name: $r) {
      issues(first: 100, orderBy: {field: UPDATED_AT, direction: DESC}) { totalCount nodes { number updatedAt } } } }`,
    { o: world.org, r: busy.name }
  ]
]
const gqlPost = (query: string, variables: Record<string, unknown> = {}): Promise<Response> =>
  fetch(`${sim.url}/graphql`, {
    method: 'POST',
    headers: { authorization: 'token bench' },
    body: JSON.stringify({ query, variables })
  })
const tb = performance.now()
await (await gqlPost('{ viewer { login } }')).text()
console.log(`  GraphQL schema built on first use: ${(performance.now() - tb).toFixed(0)} ms`)
for (const [name, query, variables] of gqlQueries) {
  const t = performance.now()
  const res = await gqlPost(query, variables)
  const body = await res.text()
  const parsed = JSON.parse(body) as { data?: { rateLimit?: { cost: number } }; errors?: unknown[] }
  console.log(
    `  ${res.status} ${(performance.now() - t).toFixed(0).padStart(5)} ms ${(body.length / 1024).toFixed(0).padStart(5)} KiB  GraphQL ${name} (cost ${parsed.data?.rateLimit?.cost ?? '?'}${parsed.errors ? `, ${parsed.errors.length} errors` : ''})`
  )
}

// Throughput: walk every page of the busiest repo's issue list by its Link headers.
let url: string | undefined = `${sim.url}/repos/${world.org}/${busy.name}/issues?state=all&per_page=100`
let pages = 0
const tw = performance.now()
while (url) {
  const res: Response = await fetch(url, { headers: { authorization: 'token bench' } })
  await res.text()
  pages++
  url = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1]
}
const walk = performance.now() - tw
console.log(
  `  walked ${pages} issue pages of ${busy.name} (${busy.list.length} items) in ${(walk / 1000).toFixed(1)} s, ${(pages / (walk / 1000)).toFixed(0)} pages/s`
)
await sim.close()
