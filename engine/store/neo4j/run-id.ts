// A write run's id, in a module of its own: the bulk CSV commands need the id but not neo4j-driver, which would
// otherwise load at every start of the CLI.

/** An id for one write run: its start instant and a random suffix. */
export function newRunId(now: number = Date.now()): string {
  return `${new Date(now).toISOString()}#${Math.random().toString(36).slice(2, 10)}`;
}
