// Runs in every test file (vitest setupFiles): after each test, the secret
// scan (helpers/secret-scan.ts) searches every run the test made — and all
// that this process wrote to stdout, stderr and the console meanwhile — for
// the runs' tokens and database passwords. A hit fails the test.
import { afterAll, afterEach } from 'vitest'
import { drainStreams, scanRegistered, startCapture } from '../helpers/secret-scan.js'

startCapture()

/** Runs made in beforeAll are scanned with the first test; those of afterAll hooks at the end. */
const scan = (): void => scanRegistered(drainStreams())
afterEach(scan)
afterAll(scan)
