/**
 * `<output>.answers`: the answers an unfinished job paid for, kept on disk when another job at the same output starts
 * over (kept-answers.ts, docs/durability.md). Its own module: the path checks (paths/job-paths.ts) name it without
 * loading the store's code.
 */
export function keptAnswersPathFor(output: string): string {
  return `${output}.answers`;
}
