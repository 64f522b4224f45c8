/**
 * The slow tier: end-to-end files that cut runs on purpose (kill -9 at exact
 * steps, runs started seconds apart, services failing for long stretches,
 * records of hundreds of megabytes) and so need several long CLI runs each.
 * `npm test` leaves them out to stay under five minutes on a 2-core machine;
 * `npm run test:slow` runs them, and CI (.ci/run) runs both tiers.
 */
export const SLOW_TIER = [
  // Ctrl-C with 8,000 rows queued (--concurrency 2500), then the resume of those 8,000 rows to the end
  'test/e2e-stop-large-queue.test.ts',
  // a journal compacted after 2,000 answers, paused and killed -9 right after the compaction, each resumed: 5 CLI runs of 2,400 rows
  'test/e2e-journaled-answers-kill.test.ts',
  // SIGUSR1/SIGUSR2 during a run: 3 embedded runs of 200,000 rows, each to its end (80 s at load average 15)
  'test/e2e-user-signals.test.ts',
  // a file-size limit (ulimit -f) met by a run twice, then its rerun to the end: 4 CLI runs (22 s at load average 22)
  'test/e2e-file-size-limit.test.ts',
  // a terminal hung up under a run (SIGHUP, EIO on every standard stream), then its rerun to the end: a signal test
  'test/e2e-terminal-hangup.test.ts',
  // long words: 400 generated texts through the tokenizer twice, every code point normalized, five 15 MiB words in a child (82 s at load average 15)
  'test/tokenizer-long-words-slow.test.ts',
  // fitToWindow's block count against the whole-prefix search of 8a849ced: every long shared review at 3 windows, 3,000 SST-2 sentences, 450 generated texts (95 s at load average ~15)
  'test/tokenizer-window-identity.test.ts',
  // an export of 1,500 rows replaced by another of its name, or its first 1,300 rows rewritten: 4 runs (36 s at load average ~15)
  'test/replaced-export-reads.test.ts',
  // --decimal comma end to end: a German export scored in both marks with report on each, the refusals (5 CLI runs, 15 s at
  // load average ~6), and a kill -9 mid-run resumed, a changed --decimal rewritten from the kept answers, failed rows mended (12 runs, 54 s + 27 s)
  'test/e2e-decimal-comma.test.ts',
  'test/e2e-decimal-comma-resume.test.ts',
  // the result cache under kill -9 and racing processes: kill rounds of thousands of commits, 4 processes x 30 opens
  'test/cache-process.test.ts',
  // a result cache damaged where LMDB aborts at open, and values changed in place: 10 CLI runs of 3,000 rows (158 s at load average ~18 with 8)
  'test/e2e-cache-crash-at-open.test.ts',
  // the cache's open lock: a 40-round kill -9 loop and holders stopped with SIGSTOP (30 s of the default suite's 265)
  'test/cache-open-lock.test.ts',
  // a --limit job's answers past the limit kept: 300 rows paused with a request left hanging (--grace), then 3-4 CLI runs each, twice (26 s)
  'test/e2e-limit-completed-answers.test.ts',
  // kill -9 between the renames that complete a job or a mend
  'test/e2e-crash-points.test.ts',
  // a mend killed while it replaces the output (kill -9 at two renames), then started over by --backend embedded, another --prefix or a grown export: 6 cases x 3-4 CLI runs
  'test/e2e-mend-kill-switch.test.ts',
  // kill -9 in a mend's replacement, then the export grown, and again at each step of finishing it: runs of 200-260 rows.
  'test/e2e-grown-mend-kill.test.ts',
  // kill -9 in a mend while it scores, then the export grown: 4 CLI runs of 200-240 rows against serve
  'test/e2e-grown-mend-journal.test.ts',
  // a rerun whose mend meets the outage again, sent whole and stopped early, and a resumed run's mend stopped so: 6 CLI runs of 400-2,000 rows (about 65 s at load average 5-10)
  'test/e2e-mend-outage-verdict.test.ts',
  // an input rewritten while a mend reads its rows: 3 cases x 2 in-process runs of 1,200 rows (~160 KB, so the reader has not buffered it), 41 s at load average ~10
  'test/mend-input-changed.test.ts',
  // an input appended to (or touched, edited, gzipped in place) while a mend reads its rows: 7 cases x 2-4 in-process runs of 200-300 rows, 29 s (5 cases) at load average ~15
  'test/mend-input-grown.test.ts',
  // a mend's summary repeats the input's language warning: a rerun's mend and a resume's after an outage, 4 CLI runs of 120 rows (13 s)
  'test/e2e-mend-warnings.test.ts',
  // --summary-json's whole-output labels across a pause and resume, a rerun's mend, a resume's mend and an older checkpoint: 10 CLI runs (31-113 s at load average 16-23)
  'test/e2e-summary-labels.test.ts',
  // texts only a number across a budget's pause, a resume, an outage and a rerun's or a resume's mend: 9 CLI runs against a local server (11 s)
  'test/e2e-number-only-resume.test.ts',
  // two writers on one output: runs started 0, 1 and 3 s apart, a killed holder, a remote holder
  'test/e2e-lock.test.ts',
  // the output's folder removed under a run against serve at 300 ms a request, for the lock's heartbeat to notice (~10 s)
  'test/e2e-folder-removed-lock.test.ts',
  // JSON logs asked for: the closing line of a refused lock, a signal before any work, a second signal (against serve
  // at 5 s a request) and an internal error is JSON; a job file that is a named pipe (5 CLI runs, 3.2 s at load average 4.9-7.4)
  'test/e2e-closing-line-json.test.ts',
  // no answer paid twice across kill -9, SIGTERM and budget pauses
  'test/e2e-paid-answers.test.ts',
  // the answers of a dropped unfinished job kept for the next: kill -9 at five points, a full disk, runs on standard input, ~31 CLI runs (57-88 s at load average 3-4 without the six on standard input; 107 s with them at 4.3)
  'test/e2e-dropped-answers.test.ts',
  // a completed job killed (kill -9 by a preload) before the rename of its output, then run under other settings: 3 CLI runs
  'test/e2e-dropped-unrenamed.test.ts',
  // a typo in a paused job's model, then the model put back: its paid answers kept (2 cases x 4 CLI runs, 25 s at load average ~3); a completed job's the same (5 CLI runs, 16-24 s at load average 10-14)
  'test/e2e-model-typo.test.ts',
  // the answer store left over, damaged or a symbolic link: a mount point at its path, cut data files (~8 CLI runs)
  'test/e2e-answer-store-leftovers.test.ts',
  // a disk that fills up under a Workers AI run: the figures the checkpoint and journal keep, then the run that finishes
  'test/e2e-full-disk-figures.test.ts',
  // the answer journal refused by a full disk while the other files take writes, or then the stop's checkpoint too: a
  // run stopped, then one that finishes, a job file's run stopped so, and a rerun's mend after an outage (49 s at load
  // average 8-11; 263 s with the two checkpoint cases at load average 30)
  'test/e2e-journal-full-disk.test.ts',
  // a service failing every request (500s, or 429 code 3040 out of capacity): the requests a stop costs (3 cases, 31.5 s on 2026-12-05)
  'test/e2e-outage-requests.test.ts',
  // a service slower than --timeout: the rate stop after 50 rows timed out (an outage-style run, ~2 s)
  'test/e2e-slow-service-timeout.test.ts',
  // a lowered open-files limit, before and during a job
  'test/e2e-open-files.test.ts',
  // its closing line as JSON under --log-format json, seven CLI runs under a lowered limit
  'test/e2e-open-files-json.test.ts',
  // a fault at the rename that completes the output or while the job is sealed, with and without --restart, and the
  // rerun after each: twelve CLI runs, 32 s at load average 11-12 (2026-12-05)
  'test/e2e-complete-output-advice.test.ts',
  // a field of hundreds of megabytes; one text of 11.6 MB under a 48 MB heap
  'test/e2e-huge-record.test.ts',
  // 24 JSONL lines of 6 MiB scored under a 160 MB heap cap (a 151 MB input; 29 s at load)
  'test/e2e-many-large-records.test.ts',
  // a JSONL record of 1,000,000 keys scored and refused under a 160 MB heap: 2 CLI runs of a 12 MB line (10-20 s each)
  'test/e2e-many-keys.test.ts',
  // records of 127 and 129 MiB written and read three times, to find the bound past which a record is not copied (5 s idle)
  'test/io-record-copy-limit.test.ts',
  // report on records over 16 MiB (CSV rows, JSONL lines)
  'test/e2e-report-huge-record.test.ts',
  // two PID 1s on one --cache folder (root and unshare): lmdb's own ~10 s of retries, twice
  'test/cache-same-pid.test.ts',
  // folders and named pipes put where the job keeps its own files, and its partial output removed mid-run
  'test/e2e-state-file-types.test.ts',
  // an export's unfinished last row finished by its writer while a paid run awaits its answer: two CLI runs of 3 s or more and one more to compare
  'test/e2e-unfinished-last-row.test.ts',
  // checkpoints (and a list of failed rows, or a folder in its place) edited by hand beside a paused run's partial output, and one as the release before wrote it: 32 cases, a CLI run or two each
  'test/e2e-checkpoint-proof.test.ts',
  // byte-for-byte fuzz seeds that mend, resume after a kill and stop on standard output: several CLI runs each
  'test/e2e-bytes-fuzz-runs.test.ts',
  // the input-handling fuzz: 60 mutated inputs, each run from a file and from standard input, every tenth killed -9 and resumed (about 150 CLI runs; 200 seeds took 725 s at load average 16)
  'test/e2e-input-fuzz.test.ts',
  // records joined by a stray quote across a pause and resume (plain and gzip) and a mend: eight CLI runs, ~17 s
  'test/e2e-stray-quote-resume.test.ts',
  // SIGTERM while a rerun checks a 600,000-row job's list of failed rows: one run to make the job (~15 s), one stopped
  'test/e2e-mend-stop-in-check.test.ts',
  // mends after outages, budgets, signals and machine faults: 19 cases of several CLI runs each (66 s of the default
  // suite's 270 on 2 cores with 18, which had reached its five minutes again; 90 s with 19 at load average ~8, 2026-12-05)
  'test/e2e-mend.test.ts',
  // a --redis that never answers holding a job's setup: a SIGTERM then, and (root) a read-only output folder said
  // beside the Redis error; a completed job made first, one run waits out the 5 s; and a Redis whose replies are held
  // once it is ready (a SIGTERM then, and a run that waits out the 5 s)
  'test/e2e-setup-lines.test.ts',
  // exports cut short every way: six paid runs refused before their first request, and a nightly job's cut and rerun
  'test/e2e-cut-exports.test.ts',
  // files this user may not read (as uid 65534): a job made, then each of its files refused, a CLI run or two each
  'test/e2e-read-refusals.test.ts',
  // another user's lock left by a root run killed in a sticky folder, and in an open one: eight runs, five as uid 65534
  'test/e2e-foreign-lock.test.ts',
  // another user's journal, checkpoint and summary planted in a sticky folder, as root: 7 CLI runs against serve (12 s)
  'test/e2e-foreign-job-files.test.ts',
  // the two slowest CLI files left in the default tier (~30-36 s each): a fresh clone's npm test took 322 s of its 300
  // once at 6794072 where it had taken 253 s an hour before; cost and cache figures, and job file paths, run by run
  'test/e2e-cost.test.ts',
  'test/e2e-job-paths.test.ts',
  // files in the way of -o, --report and report -o, and two inputs sharing one default output: about twenty CLI runs
  'test/e2e-replace-refusals.test.ts',
  // a signal as a rerun, a first run and a run to standard output set up: four CLI runs, ~6-9 s under load
  'test/e2e-setup-signal-rerun.test.ts',
  // --backend local run by run (ONNX Runtime's start each time), a kill -9 and resume among them: the default tier's
  // slowest file left (80 s of test time at load ~4, beside 14 others; 40-66 s for the next ones)
  'test/e2e-local.test.ts',
  // a job's folder copied without its file times, its input gzipped in place, edits in and after the consumed part, a
  // forged consumed hash, a copy's journal replayed, gzip -k beside the default output: fifteen CLI runs (78 s at load
  // average ~9 without the last two)
  'test/e2e-copied-input.test.ts',
  // a signal while a rerun reads a copied input's 200 MB consumed part again: a 13 s first run that writes 200 MB
  'test/e2e-stop-in-input-compare.test.ts',
  // a signal while a dropped job's 60,000 answers are imported, then the run that imports them again: three CLI runs (16 s alone, 38 s beside the other slow file, load ~4); the same for a completed job's output under another prefix (three more, 10-27 s at load ~10)
  'test/e2e-stop-in-import.test.ts',
  // backslash-escaped exports: eleven CLI runs with and without --escape, paused jobs resumed with the other one or just after a split row (10.4 s alone, load average 5)
  'test/e2e-escape.test.ts',
  // three more CLI-run files of 13-14 s each (a fresh clone's npm test took 287 s of its 300 at 72240d4, load average
  // 3-4): a paused gzip input resumed, the rows a stop leaves unwritten counted run by run, and the Redis-shared rate
  // limit across real processes (one killed with SIGKILL, released when its expiry passes)
  'test/e2e-gzip-resume.test.ts',
  'test/e2e-unwritten-rows.test.ts',
  'test/shared-limiter-process.test.ts',
  // model pull from a local server laid out like the Hub (33 cases, 36.5 s) and --backend auto refusing a checkpoint of
  // another backend (4 CLI-run cases, 22.4 s): a fresh clone's npm test took 327 s of its 300 at 8797500 (load 1-5)
  'test/model-pull.test.ts',
  'test/e2e-backend-switch.test.ts',
  // Workers AI, the embedded model, then Workers AI again at one output (the paid answers kept across the detour), and
  // --restart under the embedded model: 10 CLI runs, 21 s alone at load average 3-4
  'test/e2e-embedded-detour.test.ts',
  // the same with the local ONNX model: Workers AI, local, Workers AI; local, a paused Workers AI, local, Workers AI; and
  // --restart under the local model: 13 CLI runs, 45 s at load average ~6
  'test/e2e-local-detour.test.ts',
  // a --date or --rating column with no readable value refused (report, score --report): 10 CLI runs, 8.3 s alone at load average 8-10
  'test/e2e-report-unread-refused.test.ts',
  // --quote none (MySQL's default INTO OUTFILE): ten CLI runs with and without it, from flags and job files, and report
  // (7.0 s alone, load average 3-5); and a run killed with SIGKILL three times, then finished, against an uninterrupted one (9.6 s)
  'test/e2e-quote-none.test.ts',
  'test/e2e-quote-none-resume.test.ts',
  // --quote none's advice: a quoted file refused with it, a stray and an open quote without it, report on a copy of its
  // output: 9 CLI runs, 6.9 s with vitest's start (npx vitest run --config vitest.slow.config.ts on the file alone)
  'test/e2e-quote-none-advice.test.ts',
  // Redis refusing the shared limit mid-run (maxmemory 1) with four requests in flight at 0.4-2 s each, then the resume:
  // two CLI runs, 12.2 s (16.4 s with vitest's start) at load average 8-12
  'test/e2e-redis-refusal-in-flight.test.ts',
  // moved from the default tier on 2026-12-05, when a fresh clone's npm test took 303 s (272 s an hour before): the
  // result cache on a full or read-only disk, cut short or a folder where its files should be (25.4 s in that run); a
  // bad byte near the end of an export, 9 CLI runs (18.5 s); machine faults (a disk that fills, read-only folders,
  // a busy port, planted symbolic links), about 20 CLI runs (18.2 s)
  'test/e2e-cache-faults.test.ts',
  'test/e2e-late-bad-bytes.test.ts',
  'test/e2e-machine-faults.test.ts',
  // ulimit -v too low for Node's HTTP client: 3 CLI runs, one of them a 200-row run that meets the limit at its second
  // connection, 14.9 s at load average 9 (npx vitest run on the file alone)
  'test/e2e-address-space-limit.test.ts',
  // moved from the default tier on 2026-12-05, when the default tier grew by 12 files in a day (263 files, 344 s of
  // vitest at load average ~8): report's refusals of a wrong file or field, 31 CLI runs (24.2 s in that run), and
  // report -o never replacing a file of its job, 19 CLI runs (16.8 s). test/e2e-report.test.ts keeps report's
  // everyday path in the default tier
  'test/e2e-report-checks.test.ts',
  'test/e2e-report-targets.test.ts',
  // a replaced output, report and summary keeping their modes: 5 CLI runs, 16.5 s at load average ~6 (the summary's
  // own case, sync and async, is in the default tier: test/summary-file-mode.test.ts)
  'test/e2e-kept-mode.test.ts',
  // a completed job whose export grew, continued: embedded and serve runs, the cases that are not growth, kill -9 at each
  // step of a continuation and mid-scoring (about 60 CLI runs, 108 s at load average ~10)
  'test/e2e-grown-input.test.ts',
  // a completed job whose last row had no line ending, its export grown (CSV LF, CRLF, JSONL, gzip; a longer last row; a line ending alone, LF and CRLF; kill -9 twice; its last row failed transiently, LF and CRLF), against serve: about 40 CLI runs, 108-156 s at load average 8-12 (362 s with another suite beside it at load ~12)
  'test/e2e-grown-no-final-newline.test.ts',
  // a CR-only export completed, then grown: 3 CLI runs of 200-240 rows against serve
  'test/e2e-grown-cr-only.test.ts',
  // a CR-only export whose last row had no CR, grown by a CR alone (against serve) or under a reached --limit: 18 CLI runs
  'test/e2e-grown-cr-ended.test.ts',
  // a resumed pass's mend killed with -9 and its rerun, against serve: 4 CLI runs, one of them slowed to be killed mid-mend
  'test/e2e-mend-after-resume-kill.test.ts',
  // a Retry-After of an hour pausing the run (exit 75) and its rerun: 3 CLI runs per case, 2 cases, 12 s at load average ~8
  'test/e2e-long-retry-after.test.ts',
  // a grown export whose completed output was edited at the same length, or whose checkpoint has no digest: 3 completed
  // jobs, each with a fresh run and the rerun (9 CLI runs, 15-17 s at load average ~8)
  'test/e2e-grown-edited-output.test.ts',
  // a completed output edited by hand: scored afresh, refused under --resume require, 'already done' on a digest-less
  // checkpoint (8 CLI runs, 7 s at load average ~9)
  'test/e2e-done-edited-output.test.ts',
  // a continued job, and a first job, killed before its rename (the kill -9 hook), its export grown before the next run, against serve (9 CLI runs, 13-17 s at load average ~8)
  'test/e2e-grown-unrenamed.test.ts',
  // a grown export's copy to the partial output refused (a folder there), the line, then the rerun (3 CLI runs, 2.6-6.1 s at load average ~10)
  'test/e2e-grown-copy-fault.test.ts',
  // a --limit job completed short of its limit, its export (plain, gzip) grown: 3 embedded CLI runs per case, 12 s at load average ~8; one that reached it on a last row without a line ending, ended since (plain, gzip, CRLF, the ending alone, kill -9 once paused): 4-5 embedded runs per case, 5-8 s each
  'test/e2e-grown-limit.test.ts',
  // a paused job resumed under another --limit: 11 CLI runs against serve (paused, resumed, clean), 66 s at load average ~19
  'test/e2e-limit-resume.test.ts',
  // a job whose last record is a line passed through, started over: 8 CLI runs against serve (22 s at load average ~6)
  'test/e2e-kept-after-passed-line.test.ts',
  // kill -9 at three checkpoints, a SIGTERM and a killed run restarted, each signal sent once a checkpoint is on disk:
  // 10 CLI runs of 500 rows, 47 s at load average ~13 (the default tier's longest file but one, 2026-12-06)
  'test/e2e-resume.test.ts',
  // a paused job's partial output edited at the same length, and a checkpoint without its CRC: 2 runs cut by SIGTERM, 5 CLI runs of 500 rows
  'test/e2e-partial-edited.test.ts',
  // a race in ONNX Runtime's start (a native abort in about one run in three) tried ten times: 10 CLI runs, 13 s at load average ~13
  'test/local-worker-pool.test.ts',
  // a SIGTERM sent as "Done:" is printed, while the report of 10,000 rows is still being written, then the rerun that
  // writes it: two CLI runs scoring 10,000 rows (9.2 s at load average ~13, the most CPU of e2e-report-after-run's tests)
  'test/e2e-report-after-signal.test.ts',
  // a request budget spent on a service down (500s) or out of capacity (3040s): retries with backoff until 40 requests
  // are used up, then the runs after it to the end of the job and a clean one, and a rerun's mend: 15 CLI runs (39 s at load average ~10)
  'test/e2e-budget-outage.test.ts',
  // the nightly script over three nights against a server failing rows on every attempt: 3 CLI runs with retries (9 s)
  'test/nightly-script-failed-rows.test.ts',
  // another export of the same size and times renamed over the input, and a cp -a copy: 3 cases x 3-4 CLI runs of 600 rows (70 s at load average ~8)
  'test/e2e-input-file-swapped.test.ts',
  // the nightly script on two nights of a cumulative export against a server: 2 script runs, 4 CLI runs (7 s)
  'test/nightly-script-cache.test.ts',
  // a proxy that never answers CONNECT: a run waits out --timeout 2s, and one stopped by SIGTERM its --grace (2 runs, ~10 s; before, 300 s each)
  'test/e2e-silent-proxy.test.ts',
  // two limiters sharing one Redis limit for 100 s, one slowed by 3021s: the 60 s windows need a run past the recovery (100 s)
  'test/shared-limit-slowdown.test.ts',
  // the local limiter at random on a fake clock, 12 seeds of up to 3,000 rows with holds, slow-downs and a stop (~35 s at load average 8)
  'test/limiter-adversarial.test.ts',
  // an output folder's link switched mid-run: two 300-row remote runs (17-22 s at load average 16-19)
  'test/e2e-output-folder-link-switched.test.ts',
  // Moved from the default tier when it took 411 s of vitest (over its 5 minutes) on a slower 2-core machine
  // (2026-12-07): files of 7 s or more (one run of the tier, 3 workers, nothing else running) whose subject is a story of
  // several runs (a rerun, a resume, a mend, a grown export), a service (Redis), a machine fault, a large input or the
  // shared data; the runs each file makes are its subject, so none could be cut without weakening it. Seconds are that run's.
  // records over 16 MiB read, and the bound under a memory limit (16.7 s)
  'test/io-oversized.test.ts',
  // the nightly script's three nights against a server (16.5 s)
  'test/nightly-script.test.ts',
  // the Redis-shared limiter: its id, its set-up against a port that never answers, runs sharing one limit (15.8 + 12.7 + 12.2 s)
  'test/shared-limiter.test.ts',
  'test/shared-limiter-setup.test.ts',
  'test/e2e-redis.test.ts',
  // the shared review exports read (14.3 s; skipped where ../shared is absent, as on a user's clone)
  'test/io-shared-data.test.ts',
  // the error-rate stop with either backend: 300-row runs (11.5 s)
  'test/e2e-error-stop-backends.test.ts',
  // a CR-only export grown and continued; blank rows said again by a rerun (10.5 + 10.4 s)
  'test/e2e-grown-cr-only-lf.test.ts',
  'test/e2e-blank-rows-rerun.test.ts',
  // a job paused and resumed under another memory limit, plain and gzip, and a rerun's mend under it (10.4 s; the second file 22 s on a quiet machine)
  'test/e2e-record-memory-limit-resume.test.ts',
  'test/e2e-record-memory-limit-paused.test.ts',
  // byte-for-byte fuzz: a few seeds of generated exports through the CLI (10.1 s)
  'test/e2e-bytes-fuzz.test.ts',
  // a grown export's old answers taken from the earlier output (9.7 s)
  'test/grown-old-answers.test.ts',
  // answers kept apart by the address that gave them; --resume require on a completed job; a completed job in a
  // read-only folder; a rerun refusing an edited failed-rows list; a rerun whose failed rows were all refused (9.0-9.3 s each)
  'test/e2e-endpoint-apart.test.ts',
  'test/e2e-resume-require-completed.test.ts',
  'test/e2e-read-only-done.test.ts',
  'test/e2e-mend-list-check.test.ts',
  'test/e2e-rerun-refused.test.ts',
  // machine faults: a cache folder out of inodes, standard output past a file-size limit, a result cache damaged in its file (6.8-7.5 s each)
  'test/e2e-cache-out-of-inodes.test.ts',
  'test/e2e-stream-file-size-limit.test.ts',
  'test/cache-damaged.test.ts',
  // A second batch, as the first left 341 s (the tier after the first batch, one run, nothing else running): files of 7 s
  // or more of that run whose subject is an edge of a feature the default tier's files already cover at its centre
  // (encoding advice, warnings, a proxy, a memory limit, the report after a run or with faults) or a story of several runs.
  // encoding advice: a UTF-16 export, a Windows-1252 / Latin-1 or DOS one (14.1 + 12.5 s; io-utf8-check and dos-code-page stay)
  'test/e2e-utf16-advice.test.ts',
  'test/e2e-latin1-advice.test.ts',
  // start-up warnings: --limit below the start-up sample, --language-check off, a decimal comma's hint (13.6 + 11.8 + 8.9 s)
  'test/e2e-limit-sample.test.ts',
  'test/e2e-language-check-off.test.ts',
  'test/e2e-decimal-comma-hint.test.ts',
  // report: the run's warning, --report with a name of no format, faults writing it (12.4 + 11.9 + 7.0 s)
  'test/report-run-warning.test.ts',
  'test/e2e-report-after-run.test.ts',
  'test/e2e-report-faults.test.ts',
  // Workers AI behind a proxy; a refused token with a request in flight (11.7 + 7.2 s)
  'test/e2e-workers-ai-proxy.test.ts',
  'test/e2e-refused-token-in-flight.test.ts',
  // the packages loaded at start, each command in a CLI of its own (11.3 s)
  'test/startup-modules.test.ts',
  // standard streams closed or full; a record too large for a memory limit (10.1 + 9.9 s)
  'test/e2e-standard-streams.test.ts',
  'test/e2e-record-memory-limit.test.ts',
  // JSONL: a text field left out past the first 100 records (9.6 s)
  'test/e2e-jsonl-left-out-later.test.ts',
  // an input that changes while it is read; a completed job with a stopped mend started over (8.4 + 8.2 s)
  'test/input-changed-during-run.test.ts',
  'test/e2e-kept-journal-words.test.ts',
];
