/**
 * The input must be the same file at the end of a run as at its start. A file
 * cut short or appended to while it was read (an export job still writing it,
 * a hand edit) gives an output that matches neither version — a last record
 * cut in the middle, scored as if whole — and must not be reported as done.
 */
import { InputError } from '../errors.js';
import { inputIdentity } from '../io/open-input.js';
import { sameIdentity, type InputIdentity } from '../state/checkpoint.js';

/**
 * `beforeSending`: the read-through before a paid run's first request (input-prescan.ts) saw it change, so
 * nothing was sent or written: found there, an export still being written is not paid for twice (once by this
 * run, which could not mark its output complete, once by the next, which starts over on the final file).
 */
export async function refuseChangedInput(inputPath: string, shownAs: string, atStart: InputIdentity, beforeSending = false): Promise<void> {
  const now = await inputIdentity(inputPath).catch(() => undefined);
  if (now && sameIdentity(now, atStart)) return;
  const what = now === undefined ? 'can no longer be read' : now.size === atStart.size ? 'was modified' : `went from ${atStart.size} to ${now.size} bytes`;
  throw new InputError(
    beforeSending
      ? `the input ${shownAs} changed while it was being read (it ${what}) before anything was sent: a writer still at work? ` +
          'Run the same command again once the file is final'
      : `the input ${shownAs} changed while it was being read (it ${what}); the output is not marked complete. ` +
          'Run the same command again once the file is final: the next run continues from its checkpoint if the bytes it read are unchanged, else starts over on the new content',
  );
}
