import { jobAdvice, machineFaultOf } from '../machine-fault.js';
import { hasCheckpoint } from './checkpoint.js';

/**
 * The line for a machine fault met taking the output's lock (a full disk while
 * its owner file is written, a read-only folder): it names the lock (see
 * createOwnedFolder), and says the next run continues from the checkpoint only
 * when there is one: the lock is taken before anything else, a first run has none
 * (nor has a job whose checkpoint path is a folder).
 * Any other error is returned as it is.
 */
export function lockFaultOf(error: unknown, output: string): unknown {
  return machineFaultOf(error, jobAdvice(hasCheckpoint(output))) ?? error;
}
