import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    globalSetup: ['__tests__/setup/global-setup.ts'],
    // After every test: no token or database password in anything a run showed (helpers/secret-scan.ts).
    setupFiles: ['__tests__/setup/secret-scan.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each test file gets its own database, so files can run in parallel.
    fileParallelism: true,
    pool: 'forks',
    // Test files spend much of their time waiting on Postgres and child
    // processes, so one worker more than the cores keeps them busy (on a
    // 2-core machine the suite took 313 s with 3 workers, 524 s with 2).
    maxWorkers: availableParallelism() + 1
  }
})
