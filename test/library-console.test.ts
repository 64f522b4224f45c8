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
});
