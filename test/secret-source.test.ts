// The steps the three token readers share (config/secret-source.ts): the Cloudflare token, serve's and HF_TOKEN read
// through them, each with its own words; here the steps themselves, with words made up for the test.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readSecret, type SecretFile, type SecretSource } from '../src/config/secret-source.js';
import { ConfigError } from '../src/errors.js';
import { withoutKnownSecret } from '../src/process/known-secret.js';
import { whyUnreadable } from '../src/wording/unreadable-file.js';
import { tempDir } from './support/cli.js';

// A name no other file reads, so that setting it in this shared process touches nothing else.
const VARIABLE = 'SB_TEST_SECRET_SOURCE_TOKEN';
const { dir, cleanup } = tempDir('sb-secret-source-');
afterAll(cleanup);
afterEach(() => {
  delete process.env[VARIABLE];
});

const fileOf = (file: string): SecretFile => ({ path: file, name: '--secret-file', unreadable: (error) => `cannot read ${file}: ${whyUnreadable(error)}`, empty: `${file} is empty` });
const source = (env: NodeJS.ProcessEnv, more: Partial<Pick<SecretSource, 'trim' | 'blank'>> & { file?: string; flag?: string } = {}): SecretSource => ({
  env,
  variable: VARIABLE,
  trim: more.trim ?? 'white-space',
  ...(more.blank === undefined ? {} : { blank: more.blank }),
  file: more.file === undefined ? undefined : fileOf(more.file),
  flag: more.flag === undefined ? undefined : { value: more.flag, name: '--secret' },
  twice: (names) => `given twice: ${names.join(' and ')}`,
});
const written = (name: string, text: string): string => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('readSecret', () => {
  it('the variable only: its value, trimmed under white-space, as it is under last-line-break', () => {
    expect(readSecret(source({ [VARIABLE]: ' variable-secret-one\n' }))).toEqual({ value: 'variable-secret-one', from: 'variable' });
    expect(readSecret(source({ [VARIABLE]: ' variable-secret-one\n' }, { trim: 'last-line-break' }))).toEqual({ value: ' variable-secret-one\n', from: 'variable' });
  });

  it('nothing given, or an empty variable: undefined; a blank one is refused in the words given, or not set without them', () => {
    expect(readSecret(source({}))).toBeUndefined();
    expect(readSecret(source({ [VARIABLE]: '' }))).toBeUndefined();
    expect(readSecret(source({ [VARIABLE]: ' \t' }))).toBeUndefined();
    expect(() => readSecret(source({ [VARIABLE]: ' \t' }, { blank: 'only white space' }))).toThrow(new ConfigError('only white space'));
  });

  it('the file only: its text, trimmed under white-space, its trailing CR/LF only dropped under last-line-break', () => {
    const file = written('secret', ' file-secret-of-the-test \r\n');
    expect(readSecret(source({}, { file }))).toEqual({ value: 'file-secret-of-the-test', from: 'file' });
    expect(readSecret(source({}, { file, trim: 'last-line-break' }))).toEqual({ value: ' file-secret-of-the-test ', from: 'file' });
  });

  it('the flag only: its value, as given', () => {
    expect(readSecret(source({}, { flag: ' flag-secret ' }))).toEqual({ value: ' flag-secret ', from: 'flag' });
  });

  it('two places at once are refused, named in the order flag, file, variable (a blank variable counts as given)', () => {
    const file = written('secret2', 'x');
    expect(() => readSecret(source({ [VARIABLE]: 'v' }, { file }))).toThrow(new ConfigError('given twice: --secret-file and SB_TEST_SECRET_SOURCE_TOKEN'));
    expect(() => readSecret(source({}, { file, flag: 'f' }))).toThrow(new ConfigError('given twice: --secret and --secret-file'));
    expect(() => readSecret(source({ [VARIABLE]: ' ' }, { flag: 'f', blank: 'only white space' }))).toThrow(new ConfigError('given twice: --secret and SB_TEST_SECRET_SOURCE_TOKEN'));
    // An empty variable is not given.
    expect(readSecret(source({ [VARIABLE]: '' }, { file }))).toEqual({ value: 'x', from: 'file' });
  });

  it('an empty file (or one of white space) is refused in its words', () => {
    for (const text of ['', '\n', ' \r\n']) {
      const file = written('empty', text);
      expect(() => readSecret(source({}, { file }))).toThrow(new ConfigError(`${file} is empty`));
      expect(() => readSecret(source({}, { file, trim: 'last-line-break' }))).toThrow(new ConfigError(`${file} is empty`));
    }
  });

  it('a file missing, a folder or unreadable: refused in its words, the read error kept as the cause', () => {
    const missing = path.join(dir, 'missing');
    expect(() => readSecret(source({}, { file: missing }))).toThrow(new ConfigError(`cannot read ${missing}: no such file or directory (ENOENT): check the path`));
    const folder = path.join(dir, 'folder');
    mkdirSync(folder);
    expect(() => readSecret(source({}, { file: folder }))).toThrow(/^cannot read .*folder: it is a folder, not a file \(EISDIR\)/);
    const refusal = (() => {
      try {
        return readSecret(source({}, { file: missing }));
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toMatchObject({ cause: { code: 'ENOENT' } });
    if (process.getuid?.() !== 0) {
      const locked = written('locked', 'z');
      chmodSync(locked, 0o000);
      expect(() => readSecret(source({}, { file: locked }))).toThrow(/^cannot read .*locked: .*EACCES/);
    }
  });

  it('the variable leaves process.env as soon as it is read, whatever follows; a copy of the environment is left as it is', () => {
    process.env[VARIABLE] = 'removed-secret-of-the-test';
    expect(readSecret(source(process.env))?.value).toBe('removed-secret-of-the-test');
    expect(process.env[VARIABLE]).toBeUndefined();
    process.env[VARIABLE] = 'refused-secret-of-the-test';
    expect(() => readSecret(source(process.env, { flag: 'f' }))).toThrow('given twice');
    expect(process.env[VARIABLE]).toBeUndefined();
    const copy = { [VARIABLE]: 'copied-secret-of-the-test' };
    readSecret(source(copy));
    expect(copy[VARIABLE]).toBe('copied-secret-of-the-test');
  });

  it('the secret read is remembered for redaction, from each place', () => {
    const fromVariable = 'remembered-variable-secret-0123456789';
    const fromFile = 'remembered-file-secret-0123456789';
    const fromFlag = 'remembered-flag-secret-0123456789';
    for (const secret of [fromVariable, fromFile, fromFlag]) expect(withoutKnownSecret(`x ${secret} y`)).toBe(`x ${secret} y`);
    readSecret(source({ [VARIABLE]: ` ${fromVariable} ` }));
    readSecret(source({}, { file: written('remembered', `${fromFile}\n`) }));
    readSecret(source({}, { flag: fromFlag }));
    for (const secret of [fromVariable, fromFile, fromFlag]) expect(withoutKnownSecret(`x ${secret} y`)).toBe('x [redacted] y');
  });
});
