import { MachineFaultError, SentimentBatchError } from '../errors.js';
import { streamRemedy } from '../process/file-size-limit.js';

/**
 * `report -o -`: the page (or JSON) written to standard output. A write it
 * refuses is said as `score -o -` says it of its records (job/stdout-output.ts):
 * the reader going away (`| head`) is the command's (exit 2), a full disk or a
 * failing device where it goes is the machine's (74); not the wording of a file
 * that a rerun continues from its checkpoint, which a report has neither of.
 */
export function writeReportToStdout(body: string): Promise<void> {
  return new Promise((resolve, reject) =>
    process.stdout.write(body, (error) => (error ? reject(stdoutRefused(error as NodeJS.ErrnoException)) : resolve())),
  );
}

function stdoutRefused(error: NodeJS.ErrnoException): SentimentBatchError {
  const { code } = error;
  if (code === undefined || code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') {
    return new SentimentBatchError('config', `standard output was closed (${error.message}); the rest of the report was not written`, { cause: error });
  }
  return new MachineFaultError(code, `could not write to standard output (${error.message}); the report was not written whole: ${streamRemedy(code)}`, { cause: error });
}
