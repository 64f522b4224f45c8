import { describe, expect, it } from 'vitest';
import { openFailure } from '../src/state/cache-reader-slot.js';

// LMDB's MDB_BAD_TXN at open ("mdb_page_touch no parent": a tree whose pages were reused) got the generic advice "Use
// a writable directory on a local disk (not a network share)", which fits one of its two causes only. Measured in
// docs/cost.md ("Sharing"): it came of processes writing one cache at once without this tool's lock; what such a race
// left behind stays in the file. The line says both, and what to do for each.
describe('MDB_BAD_TXN at open', () => {
  const lmdb = new Error('MDB_BAD_TXN: Transaction must abort, has a child, or is invalid: mdb_page_touch no parent');

  it('says damage or a writer without our lock, and what to do for each', () => {
    expect(openFailure('/data/cache', lmdb).message).toBe(
      'Cannot open the result cache in /data/cache (MDB_BAD_TXN: Transaction must abort, has a child, or is invalid: mdb_page_touch no parent): ' +
        'its file is damaged (by a disk fault, or by processes that wrote it at once earlier), or a process that does not take this tool\'s lock is writing it now ' +
        '(one on another machine, through a network share). If nothing else writes it, delete that folder (or point --cache at a new one) to start a fresh cache; ' +
        'else give this job a cache of its own on a local disk; then run the same command again',
    );
  });

  it('any other LMDB refusal keeps its advice', () => {
    expect(openFailure('/data/cache', new Error('MDB_MAP_FULL: Environment mapsize limit reached')).message).toContain('(not a network share)');
  });
});
