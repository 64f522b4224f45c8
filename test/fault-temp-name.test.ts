import { describe, expect, it } from 'vitest';
import { machineFaultOf } from '../src/machine-fault.js';

const fault = (code: string, file: string, syscall = 'open', dest?: string): string | undefined => {
  const error = Object.assign(new Error(`${code}: ${syscall} '${file}'`), { code, path: file, syscall, ...(dest ? { dest } : {}) });
  return machineFaultOf(error)?.message;
};

// A full disk met while creating the temporary file of an atomic write (the list of failed rows, the summary, the
// answer journal's rewrite) named that file, `out.csv.failed-rows.tmp-4242`, a name the user never gave and that is
// gone by the time the line is read. A full disk is the device's: the line names the file the user knows.
describe('a full disk met on a temporary file names the file the user knows', () => {
  it.each([
    ['ENOSPC', 'no space left on the device holding /data/out.csv.failed-rows: free some space'],
    ['EDQUOT', 'disk quota exceeded writing /data/out.csv.failed-rows:'],
    ['EIO', 'input/output error on the device holding /data/out.csv.failed-rows:'],
  ])('%s', (code, line) => {
    expect(fault(code, '/data/out.csv.failed-rows.tmp-4242')).toContain(line);
    // A mend's list, written first as `.failed-rows.next` (mend/mend-job.ts).
    expect(fault(code, '/data/out.csv.failed-rows.next.tmp-4242')).toContain(line);
    // A rename's two names: the one it was to become.
    expect(fault(code, '/data/run.summary.json.tmp-7', 'rename', '/data/run.summary.json')).toContain(line.replace('out.csv.failed-rows', 'run.summary.json'));
  });

  it('a file of the user named so is named as it is', () => {
    expect(fault('ENOSPC', '/data/notes.tmp-old')).toContain('holding /data/notes.tmp-old:');
  });
});
