import * as fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { LockOwner } from './lock-owner.js';

// The lock's heartbeat (its folder's mtime, refreshed by its holder every stale time / 6), as a run waiting for it reads it.

/** What lockOutput tells its caller when it waits for a holder it cannot check. */
export interface LockWait {
  holder: LockOwner;
  /** The longest this run will wait, in whole seconds. */
  seconds: number;
  /** A live holder of this host whose lock records another folder: watched to tell a copy from its own lock (lock-takeover.ts). */
  copied?: true;
}

/**
 * Watches the heartbeat of a holder this process cannot check (another host or
 * PID namespace). `live`: the lock's mtime moved (its holder refreshes it every
 * staleMs / 6, or another run took it over meanwhile); `silent`: it was not
 * refreshed for staleMs (proper-lockfile now takes it over); `released`: the
 * lock went away; `undecided`: neither within staleMs plus one refresh (a
 * heartbeat dated in the future: the clocks disagree); `aborted`: a signal.
 */
export async function watchHeartbeat(
  lockPath: string,
  holder: LockOwner,
  staleMs: number,
  options: { onWait?: (wait: LockWait) => void; abort?: AbortSignal },
): Promise<'live' | 'silent' | 'released' | 'undecided' | 'aborted'> {
  const first = await fs.promises.lstat(lockPath).catch(() => undefined);
  if (!first) return 'released';
  const heartbeat = first.mtimeMs;
  const started = Date.now();
  const deadline = started + staleMs + staleMs / 6;
  // Just past stale for proper-lockfile (mtime < now - stale), so its next try takes it over.
  const staleAt = heartbeat + staleMs + 50;
  options.onWait?.({ holder, seconds: Math.max(0, Math.ceil((Math.min(deadline, staleAt - 50) - started) / 1000)) });
  const poll = Math.max(10, Math.min(500, staleMs / 60));
  for (;;) {
    if (options.abort?.aborted) return 'aborted';
    const now = Date.now();
    if (now >= staleAt) return 'silent';
    if (now >= deadline) return 'undecided';
    // A signal ends the sleep early (the rejection it gives is not needed: the loop's first check returns 'aborted').
    await delay(Math.min(poll, staleAt - now, deadline - now), undefined, { signal: options.abort }).catch(() => undefined);
    const stats = await fs.promises.lstat(lockPath).catch(() => undefined);
    if (!stats) return 'released';
    if (stats.mtimeMs !== heartbeat) return 'live';
  }
}

/**
 * Whether the lock's heartbeat stays still for `quietMs` since it last moved: `quiet`; `live` once it moves (its
 * holder refreshes it every stale time / 6, so two of those without a move is no live holder's), `released` once the
 * lock is gone, `aborted` on a signal. `onWait` is told when this has to wait; it waits at most `quietMs`.
 */
export async function heartbeatQuiet(
  lockPath: string,
  quietMs: number,
  options: { onWait?: (seconds: number) => void; abort?: AbortSignal },
): Promise<'quiet' | 'live' | 'released' | 'aborted'> {
  const first = await fs.promises.lstat(lockPath).catch(() => undefined);
  if (!first) return 'released';
  const heartbeat = first.mtimeMs;
  // A heartbeat dated ahead (clocks set back) counts from now: the wait is still quietMs without a move.
  const quietAt = Math.min(heartbeat, Date.now()) + quietMs;
  if (quietAt > Date.now()) options.onWait?.(Math.ceil((quietAt - Date.now()) / 1000));
  const poll = Math.max(10, Math.min(500, quietMs / 20));
  for (;;) {
    if (options.abort?.aborted) return 'aborted';
    const now = Date.now();
    if (now >= quietAt) return 'quiet';
    await delay(Math.min(poll, quietAt - now), undefined, { signal: options.abort }).catch(() => undefined);
    const stats = await fs.promises.lstat(lockPath).catch(() => undefined);
    if (!stats) return 'released';
    if (stats.mtimeMs !== heartbeat) return 'live';
  }
}
