import { machineFaultOf } from '../machine-fault.js';
import { writtenAgainAdvice, type FaultAdvice } from '../machine-fault-advice.js';
import { writeFileAtomic } from '../state/atomic-write.js';

/** `report -o`: nothing to resume, the page is simply made again from the scored file. */
const REPORT_FILE_ADVICE = writtenAgainAdvice('-o');

/**
 * Writes the report beside its target and renames it over: a full disk or a
 * stop mid-write leaves the previous report whole (and no temp file), never a
 * truncated page. A machine fault names the file and the flag that moves it.
 */
export async function writeReportFile(file: string, body: string, advice: FaultAdvice = REPORT_FILE_ADVICE): Promise<void> {
  try {
    await writeFileAtomic(file, body);
  } catch (error) {
    throw machineFaultOf(error, advice) ?? error;
  }
}
