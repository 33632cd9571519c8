// The one-way layers of src/, checked by `npm run lint` (dependency-cruiser).
//
//   main.ts, cli.ts, index.ts, io.ts, summary.ts, run-report.ts   the runner's edge
//     └─ tasks/        one module per task: page from github/ → rows → one db/ transaction
//          ├─ github/  talking to GitHub only (client, requests, pure mappers to model/ rows)
//          ├─ db/      Postgres only (connection, migrations, locks, all SQL)
//          └─ model/   row types and column lists; imports nothing from src/
//   inputs.ts, constants.ts, log.ts, redact.ts: shared leaves (inputs.ts is read by tasks only)
//
// Type-only imports count too: a type is knowledge of another layer.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'model-imports-nothing',
      comment: 'src/model/ holds row types and column lists: it imports nothing else from src/.',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { path: '^src/', pathNot: '^src/model/' }
    },
    {
      name: 'github-talks-to-github-only',
      comment: 'src/github/ never imports db/, tasks/, report/, inputs or the runner: functions take an Octokit and plain arguments.',
      severity: 'error',
      from: { path: '^src/github/' },
      to: { path: '^src/', pathNot: '^src/(github|model)/|^src/(constants|log|redact)\\.ts$' }
    },
    {
      name: 'db-is-postgres-only',
      comment: 'src/db/ never imports github/, tasks/, report/, inputs or the runner.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/', pathNot: '^src/(db|model)/|^src/(log|redact)\\.ts$' }
    },
    {
      name: 'report-renders-model-only',
      comment: 'src/report/ renders model/ data (Markdown, Mermaid, text): pure, no db, github or tasks.',
      severity: 'error',
      from: { path: '^src/report/' },
      to: { path: '^src/', pathNot: '^src/(report|model)/' }
    },
    {
      name: 'tasks-do-not-reach-up',
      comment: 'src/tasks/ never imports the runner (main, cli, io, summary, run-report).',
      severity: 'error',
      from: { path: '^src/tasks/' },
      to: { path: '^src/(main|cli|cli-args|index|io|summary|run-report)\\.ts$' }
    },
    {
      name: 'leaves-stay-leaves',
      comment: 'constants, log and redact import nothing from src/; inputs only their types and the db target type.',
      severity: 'error',
      from: { path: '^src/(constants|log|redact)\\.ts$' },
      to: { path: '^src/' }
    },
    {
      name: 'inputs-stay-low',
      comment: 'inputs.ts is read by tasks: it must not import tasks/, github/ or the runner.',
      severity: 'error',
      from: { path: '^src/inputs\\.ts$' },
      to: { path: '^src/', pathNot: '^src/(constants|redact)\\.ts$|^src/db/connect\\.ts$' }
    },
    {
      name: 'no-unresolvable',
      comment: 'Every relative import resolves (otherwise the rules above could not see it).',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true, path: '^[.]{1,2}/' }
    },
    {
      name: 'no-circular',
      comment: 'No import circle anywhere in src/.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] }
  }
}
