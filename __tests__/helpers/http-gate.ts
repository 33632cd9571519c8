// A pass-through HTTP proxy in front of the simulated GitHub that records
// what one client asked for and can hold a request until the test lets it
// go — to stop a run at a known point (inside a task, between transactions)
// without a timer.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Held {
  /** Resolves when a matching request has arrived and is being held. */
  readonly arrived: Promise<void>
  /** Lets it (and every later one) through. */
  release(): void
}

export interface HttpGate {
  /** Use as api-url. */
  readonly url: string
  /** Paths (without query) of the requests forwarded, in order. */
  readonly paths: string[]
  /** Holds the first request from now on whose path matches (with `nth`, the nth such request). */
  holdNext(path: RegExp, nth?: number): Held
  close(): Promise<void>
}

/**
 * `upstreamHost`: the Host header sent upstream (default the target's own).
 * A reverse proxy in front of GitHub sends `api.github.com`, and GitHub's
 * answers then name that host in their `Link` and `Location` URLs.
 */
export async function startGate(target: string, options: { upstreamHost?: string } = {}): Promise<HttpGate> {
  const upstream = new URL(target)
  const paths: string[] = []
  let hold: { path: RegExp; left: number; arrive: () => void; gate: Promise<void> } | undefined
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    const forward = (): void => {
      paths.push(path)
      const out = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: options.upstreamHost ?? upstream.host }
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        }
      )
      out.on('error', () => res.destroy())
      req.pipe(out)
    }
    if (hold && hold.path.test(path) && --hold.left === 0) {
      const { gate, arrive } = hold
      hold = undefined
      arrive()
      void gate.then(forward)
      return
    }
    forward()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    holdNext(path, nth = 1) {
      let arrive!: () => void
      let release!: () => void
      const arrived = new Promise<void>((r) => (arrive = r))
      const gate = new Promise<void>((r) => (release = r))
      hold = { path, left: nth, arrive, gate }
      return { arrived, release }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      })
  }
}
