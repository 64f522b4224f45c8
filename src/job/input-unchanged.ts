/**
 * The input must be the same file at the end of a run as at its start. A file
 * cut short or appended to while it was read (an export job still writing it,
 * a hand edit) gives an output that matches neither version — a last record
 * cut in the middle, scored as if whole — and must not be reported as done.
 */
import { InputError } from '../errors.js';
import { inputIdentity } from '../io/open-input.js';
import { sameIdentity, type InputIdentity } from '../state/checkpoint.js';

export async function refuseChangedInput(inputPath: string, shownAs: string, atStart: InputIdentity): Promise<void> {
  const now = await inputIdentity(inputPath).catch(() => undefined);
  if (now && sameIdentity(now, atStart)) return;
  const what = now === undefined ? 'can no longer be read' : now.size === atStart.size ? 'was modified' : `went from ${atStart.size} to ${now.size} bytes`;
  throw new InputError(
    `the input ${shownAs} changed while it was being read (it ${what}); the output is not marked complete. ` +
      'Run the same command again once the file is final: the next run starts over on its new content',
  );
}
