// Runs only the simulator's tests, without the project's Postgres global setup.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['__tests__/sim/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks'
  }
})
