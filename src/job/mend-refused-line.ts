/**
 * The summary's last line after a mend refused as the input changed (job/input-unchanged.ts inputChangedInMend:
 * exit 3, the output as it was). It names what the next run needs as the refusal's line does: "run the same command
 * again once it is final" stood beneath a line that named in.csv.gz to score (an input gzipped in place), and that
 * command ended "cannot open input file".
 */
import type { MendAgain } from '../errors.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { counted } from '../wording/counted.js';

/** The advice for an input rewritten or grown in the part the job read: the same file, once its writer is done. */
export const ONCE_FINAL = 'run the same command again once it is final';

/**
 * The advice for an input removed (rm, or moved away) mid-mend: "once it is final" was said of a file that is gone, not
 * being rewritten (review60). Its bytes once read are the job's if the same export is put back.
 */
export const putBackAdvice = (shownAs: string): string => `put the export back at ${shownAs}, then run the same command again`;

/** `again`: the refusal's advice and the change it answers (InputChangedInMendError), else the plain one; `refused`: how the final failures are said. */
export function mendRefusedLine(retry: number, final: number, refused: (count: number) => string, again?: MendAgain): string {
  const those = retry === 1 ? 'that row' : `those ${groupedNumber(retry)}`;
  const others = final > 0 ? ` (the other ${groupedNumber(final)} of the ${counted(retry + final, 'row')} failed ${final === 1 ? 'was' : 'were'} ${refused(final)})` : '';
  // An input gzipped or gunzipped in place: its bytes once read are the job's whichever way they are stored.
  const next = again?.advice ?? ONCE_FINAL;
  const same = again?.kind === 'in-place' ? 'the same, compressed or not' : 'unchanged';
  return `${counted(retry, 'row')} failed transiently, not mended as the input changed: ${next}; the next run re-scores just ${those} if the bytes the job read are ${same}, else scores the new content afresh${others}`;
}
