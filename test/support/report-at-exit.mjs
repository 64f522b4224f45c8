/**
 * Preloaded into the CLI by tests (`NODE_OPTIONS=--import <this file>`): as the process exits, Node.js's diagnostic
 * report (what `--report-on-fatalerror`, `--report-uncaught-exception` and `--report-on-signal` write, environment
 * variables included) is written to SB_TEST_REPORT_FILE. A crash at a chosen moment, without the crash.
 * Plain JavaScript: the child process runs it as it is.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.SB_TEST_REPORT_FILE;
if (file) process.on('exit', () => writeFileSync(file, JSON.stringify(process.report.getReport())));
