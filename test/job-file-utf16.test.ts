// A job file saved as UTF-16 (Windows PowerShell 5's `>` and Out-File, Notepad's "Unicode"): before, the line was
// `job file job.json is not valid JSON: Unexpected token '�', "��{\u0000\n\u0000 \u0000 \u0000"... is not valid JSON`,
// which names neither the encoding nor the way out, where an export in UTF-16 is told so (io/utf8-check.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJobFile } from '../src/config/resolve.js';
import { ConfigError, ExitCode } from '../src/errors.js';
import { tempDir } from './support/cli.js';

const JOB = '{\n  "input": "reviews.csv",\n  "textColumn": "review"\n}\n';

describe('a job file saved as UTF-16', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const refusal = (bytes: Buffer): ConfigError => {
    const file = path.join(dir, 'job.json');
    writeFileSync(file, bytes);
    try {
      readJobFile(file);
    } catch (error) {
      return error as ConfigError;
    }
    throw new Error('not refused');
  };
  const file = () => path.join(dir, 'job.json');
  const bigEndian = (text: string) => Buffer.from(text, 'utf16le').swap16();

  it('with its byte-order mark, little- or big-endian, is named UTF-16 with the conversion, exit 2', () => {
    for (const bytes of [Buffer.from(`\uFEFF${JOB}`, 'utf16le'), bigEndian(`\uFEFF${JOB}`)]) {
      const error = refusal(bytes);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.exitCode).toBe(ExitCode.Usage);
      expect(error.message).toBe(
        `job file ${file()} is UTF-16 text (as Windows PowerShell's > and Out-File, and Notepad's "Unicode", save it), not UTF-8: ` +
          `save it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 ${file()} > ${path.join(dir, 'job-utf8.json')}`,
      );
    }
  });

  it('without a mark, names the byte order iconv needs', () => {
    expect(refusal(Buffer.from(JOB, 'utf16le')).message).toMatch(/is UTF-16 text .* iconv -f UTF-16LE -t UTF-8 /);
    expect(refusal(bigEndian(JOB)).message).toMatch(/is UTF-16 text .* iconv -f UTF-16BE -t UTF-8 /);
  });

  it('a UTF-8 job file, with or without its mark, still reads', () => {
    for (const bytes of [Buffer.from(JOB), Buffer.from(`\uFEFF${JOB}`)]) {
      writeFileSync(file(), bytes);
      expect(readJobFile(file()).text).toEqual(['review']);
    }
  });
});
