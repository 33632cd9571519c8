#!/usr/bin/env node
// The terminal entry point: the bundled CLI (built from src/cli.ts into dist/cli/).
await import('../dist/cli/index.js')
