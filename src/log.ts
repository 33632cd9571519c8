/** The logging surface tasks get; the runner decides where lines go. */
export interface Log {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** Runs `fn` inside a collapsible group (Actions) or under a heading (terminal). */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

/** A Log that keeps lines in memory: for tests. */
export class MemoryLog implements Log {
  readonly lines: string[] = []
  info(message: string): void {
    this.lines.push(message)
  }
  warning(message: string): void {
    this.lines.push(`warning: ${message}`)
  }
  debug(message: string): void {
    this.lines.push(`debug: ${message}`)
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.lines.push(`[${name}]`)
    return fn()
  }
}
