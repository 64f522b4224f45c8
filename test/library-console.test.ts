import { afterEach, describe, expect, it } from 'vitest';
import { routeLibraryConsole } from '../src/process/library-console.js';
import type { Logger } from '../src/log.js';

function recorder(): { log: Logger; lines: Array<{ level: string; fields: unknown; msg: string }> } {
  const lines: Array<{ level: string; fields: unknown; msg: string }> = [];
  const log = {
    warn: (fields: unknown, msg: string) => lines.push({ level: 'warn', fields, msg }),
    error: (fields: unknown, msg: string) => lines.push({ level: 'error', fields, msg }),
  } as unknown as Logger;
  return { log, lines };
}

describe("a library's console lines during a run", () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it('become log lines, tag dropped; the same line said again (one per connection) is logged once', () => {
    const { log, lines } = recorder();
    restore = routeLibraryConsole(log);
    console.warn("[WARN] This Redis server's `default` user does not require a password, but a password was supplied");
    console.warn("[WARN] This Redis server's `default` user does not require a password, but a password was supplied");
    console.warn('[WARN] another thing');
    console.error('[ERROR] broke');
    console.error('[ERROR] broke');
    restore();
    restore = undefined;
    expect(lines).toEqual([
      { level: 'warn', fields: { from: 'library' }, msg: "This Redis server's `default` user does not require a password, but a password was supplied" },
      { level: 'warn', fields: { from: 'library' }, msg: 'another thing' },
      { level: 'error', fields: { from: 'library' }, msg: 'broke' },
    ]);
  });

  // lmdb says a failed commit's reason on the console itself (write.js: console.error(error)): an ERROR line holding its
  // stack trace ('Error: Input/output error\n    at Function.<anonymous> (…/lmdb/write.js:516:7) {\n  code: 5\n}'), just
  // above the cache's own warning, which says that reason in the fault lines' words (state/cache-commit-fault.ts).
  it("leaves out lmdb's own line of a failed commit; any other library's error stays", () => {
    const { log, lines } = recorder();
    restore = routeLibraryConsole(log);
    const commit = Object.assign(new Error('Input/output error'), { code: 5 });
    commit.stack = 'Error: Input/output error\n    at Function.<anonymous> (file:///app/node_modules/lmdb/write.js:516:7)';
    console.error(commit);
    const other = new Error('socket hang up');
    other.stack = 'Error: socket hang up\n    at Socket.<anonymous> (file:///app/node_modules/ioredis/built/Redis.js:1:1)';
    console.error(other);
    restore();
    restore = undefined;
    expect(lines.map((line) => line.msg.split('\n')[0])).toEqual(['Error: socket hang up']);
  });
});
