/**
 * In-process test files that need a process of their own (vitest.config.ts' own-process project): those that
 * replace a module (vi.mock: in a shared process a file run before may have loaded the real one, and the test then
 * runs against it; edited-export-answers counted 0 answers read for 192 so), and server-cli, which counts the
 * process's signal listeners, which a file run before it in a shared process may have added.
 * test/own-process.test.ts checks that every file calling vi.mock is listed here.
 */
export const OWN_PROCESS = [
  'test/answer-journal-full-disk.test.ts',
  'test/bundled-tokenizer-read-once.test.ts',
  'test/edited-export-answers.test.ts',
  'test/embedded-lazy-decode.test.ts',
  'test/failed-rows-fsync.test.ts',
  'test/folder-fsync.test.ts',
  'test/gzip-resume-reads-once.test.ts',
  'test/journal-folder-fsync.test.ts',
  'test/journaled-answers-resume.test.ts',
  'test/lockless-run.test.ts',
  'test/long-text-hashed-once.test.ts',
  'test/mend-checkpoint-refused.test.ts',
  'test/output-digest.test.ts',
  'test/output-lock-starved.test.ts',
  'test/read-access-remedy.test.ts',
  'test/report-columns-sample.test.ts',
  'test/resume-proven-answers.test.ts',
  'test/run-cache-words.test.ts',
  'test/same-file.test.ts',
  'test/server-cli.test.ts',
  'test/server-token-sources.test.ts',
  'test/swapped-folder-checkpoint-save.test.ts',
];
