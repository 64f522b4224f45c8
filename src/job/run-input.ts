import type { JobSettings } from '../config/options.js';
import { inputFile } from '../io/open-input.js';
import type { Logger } from '../log.js';
import type { InputFileId, InputIdentity } from '../state/checkpoint.js';
import { refuseAutomaticSwitch } from './backend-switch.js';
import { ConsumedInput } from './consumed-input.js';
import { InputMatch } from './same-input.js';
import { openSource, type Source } from './source.js';
import type { StopController } from './stop.js';

export interface RunInput {
  source: Source;
  identity: InputIdentity;
  /** The device and inode of the file the identity was taken of, recorded beside it (same-input.ts isRecordedFile). */
  fileId: InputFileId;
  /** Is a checkpoint of this input: its file, or a copy of the bytes it read (same-input.ts), worked out once. */
  match: InputMatch;
  /** The bytes the records written are read from, recorded with each checkpoint (consumed-input.ts); resumable runs only. */
  consumed: ConsumedInput | undefined;
}

/**
 * The input and its columns, checked before anything else of a run is set up (the model is not loaded for an input that
 * cannot be read); a resumable run's checkpoint written by another backend is refused here too (backend-switch.ts).
 */
export async function openRunInput(
  settings: JobSettings,
  inputPath: string,
  options: { log: Logger; stop: StopController; resumable: boolean; checkpointPath: string },
): Promise<RunInput> {
  const { log, stop, resumable } = options;
  const consumed = resumable ? new ConsumedInput() : undefined;
  const source = await openSource(settings, inputPath, (line) => log.warn(line), consumed);
  if (source.decimalCommaWarning !== undefined) log.warn(source.decimalCommaWarning);
  const { identity, fileId } = await inputFile(inputPath);
  const match = new InputMatch({ path: inputPath, gzip: source.compressed, identity, fileId }, log, stop);
  if (resumable) await refuseAutomaticSwitch(settings, options.checkpointPath, match).catch(async (error: unknown) => {
    await source.release();
    throw error;
  });
  return { source, identity, fileId, match, consumed };
}
