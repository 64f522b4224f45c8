/**
 * bottleneck 2.19.5 recovers from lost Redis state by matching two script
 * errors exactly: `SETTINGS_KEY_NOT_FOUND` (the group's keys are gone: Redis
 * restarted without persistence, or the keys expired) re-creates the group,
 * and `UNKNOWN_CLIENT` (this process was dropped as unresponsive, e.g. after
 * an outage longer than 10 s) registers it again.
 *
 * Redis 7 prefixes errors raised by scripts with `ERR `, so the exact match
 * never succeeds and every later command of the limiter fails for good
 * (SGrondin/bottleneck issues #205, #212, #219; unmerged fix in PR #215).
 * This strips the prefix from those two errors, on our own connection object
 * only, before bottleneck looks at them.
 */
import type Bottleneck from 'bottleneck';

const RECOVERABLE = /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/;

type ScriptCallback = (error: unknown, replies: unknown) => void;
interface ScriptArgsHook {
  __scriptArgs__(name: string, id: string, args: unknown[], callback: ScriptCallback): unknown[];
}

/** Makes bottleneck's recovery work with Redis 7+ on this connection. Fails loudly if bottleneck's internals moved. */
export function restoreScriptErrorRecovery(connection: Bottleneck.IORedisConnection): void {
  const hook = connection as unknown as ScriptArgsHook;
  if (typeof hook.__scriptArgs__ !== 'function') {
    throw new Error('bottleneck internals changed (IORedisConnection#__scriptArgs__ is missing): check src/scoring/redis-compat.ts against the installed version');
  }
  const original = hook.__scriptArgs__.bind(connection);
  hook.__scriptArgs__ = (name, id, args, callback) =>
    original(name, id, args, (error, replies) => {
      if (error instanceof Error) {
        const match = RECOVERABLE.exec(error.message);
        if (match) error.message = match[1] as string;
      }
      callback(error, replies);
    });
}
