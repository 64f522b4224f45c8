import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SentimentBatchError } from '../src/errors.js';
import { findSnapshot, refFile } from '../src/hub/cache-layout.js';
import { DEFAULT_REPO } from '../src/hub/hub-env.js';
import { openModelFolder } from '../src/scoring/local/model-folder.js';
import { tempDir } from './support/cli.js';

const FIXTURE = path.resolve('fixtures/tiny-distilbert');

/**
 * Something other than a file or folder where --backend local reads its model folder: a file given as --model-dir was
 * said to be a folder "with no config.json"; a named pipe as config.json was said to be "a folder"; a named pipe as
 * tokenizer.json, with nothing writing to it, was read with the process's one thread waiting for ever (no line;
 * SIGTERM could not end it).
 */
describe.skipIf(process.platform === 'win32')('a model folder with something else than a file in place', () => {
  let dir: string;
  let cleanup: () => void;
  let model: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    model = path.join(dir, 'model');
    cpSync(FIXTURE, model, { recursive: true });
  });
  afterEach(() => cleanup());
  const pipeAt = (file: string): void => {
    rmSync(file);
    execFileSync('mkfifo', [file]);
  };

  it('--model-dir naming a file: said to be a file, not a folder without config.json', async () => {
    const file = path.join(dir, 'model.onnx');
    writeFileSync(file, 'x');
    await expect(openModelFolder(file, 'flag')).rejects.toThrow(`the local model folder ${file} is a regular file, not a folder: run \`sentiment-batch model pull --model-dir ${file}\` (it needs the internet), or copy a pulled model folder there`);
  });

  it('config.json a named pipe: said to be one, not a folder', async () => {
    const config = path.join(model, 'config.json');
    pipeAt(config);
    await expect(openModelFolder(model, 'flag')).rejects.toThrow(`${config} is a named pipe, expected the model file: copy a good model folder there, or point --model-dir at one`);
  });

  it.each(['null', '[]', '"x"'])('config.json holding %s: said to be no JSON object (was: null a TypeError, an internal error with its stack, exit 1)', async (text) => {
    const config = path.join(model, 'config.json');
    writeFileSync(config, text);
    const opening = openModelFolder(model, 'flag');
    await expect(opening).rejects.toBeInstanceOf(SentimentBatchError);
    await expect(opening).rejects.toThrow(`${config} holds ${text === 'null' ? 'null' : text === '[]' ? 'an array' : 'a string'}, expected a JSON object with id2label: copy a good model folder there`);
  });

  it('tokenizer.json a named pipe nothing writes to: refused at once, not waited on', async () => {
    const tokenizer = path.join(model, 'tokenizer.json');
    pipeAt(tokenizer);
    // For the old code, which waited for a writer with this worker's one thread: one comes after 5 s and writes nothing,
    // so that the test fails (on what the tokenizer then was) instead of holding the worker for ever.
    const rescuer = spawn('sh', ['-c', 'sleep 5; exec 3>"$0"', tokenizer], { stdio: 'ignore' });
    try {
      // Said as config.json's is (local3 checks tokenizer.json's kind with the model's files, before the tokenizer reads it).
      await expect(openModelFolder(model, 'flag')).rejects.toThrow(`${tokenizer} is a named pipe, expected the model file: copy a good model folder there, or point --model-dir at one`);
    } finally {
      rescuer.kill('SIGKILL');
    }
  });

  // The Hub cache's refs/main names the commit `model pull` fetched: a folder there was 'a file (read) is a folder …
  // (or choose another path, -o)', no path named (exit 74); a named pipe, a wait for ever.
  it('the Hub cache\'s refs/main a folder or a named pipe: named, with what to do (exit 2)', async () => {
    const cache = path.join(dir, 'hub');
    const ref = refFile(cache, DEFAULT_REPO, 'main');
    mkdirSync(ref, { recursive: true });
    const said = (kind: string) =>
      `${ref} in the Hub cache ${cache} is ${kind}, not the file naming the commit pulled: remove it and run \`sentiment-batch model pull\` again, or point --model-dir at a model folder`;
    expect(() => findSnapshot(cache, DEFAULT_REPO, 'main')).toThrow(new SentimentBatchError('model_file', said('a folder')));
    rmSync(ref, { recursive: true });
    execFileSync('mkfifo', [ref]);
    const rescuer = spawn('sh', ['-c', 'sleep 5; exec 3>"$0"', ref], { stdio: 'ignore' });
    try {
      expect(() => findSnapshot(cache, DEFAULT_REPO, 'main')).toThrow(said('a named pipe'));
    } finally {
      rescuer.kill('SIGKILL');
    }
  });
});
