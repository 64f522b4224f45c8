import path from 'node:path';
import type { JobSettings } from '../config/options.js';
import { MachineFaultError } from '../errors.js';
import { createFolder } from './create-folder.js';
import { writeRefusal } from './write-refusal.js';

/**
 * --summary-json and --report into a folder that does not exist yet: created
 * before the run, as -o's folder is, so a missing folder never surfaces only
 * after every row has been scored. A folder that cannot be created, or exists
 * but cannot be written (read-only, no permission), fails here (exit 74,
 * naming the flag and the folder), before any work.
 */
type TargetFlag = '--summary-json' | '--report';

export async function createTargetFolders(settings: JobSettings, flags: readonly TargetFlag[] = ['--summary-json', '--report']): Promise<void> {
  const targets: Array<[flag: TargetFlag, file: string | undefined]> = [
    ['--summary-json', settings.summaryJson],
    ['--report', settings.report],
  ];
  for (const [flag, file] of targets) {
    if (!file || !flags.includes(flag)) continue;
    const folder = path.dirname(path.resolve(file));
    await createFolder(folder, flag, file);
    refuseUnwritable(flag, file, folder);
  }
}

function refuseUnwritable(flag: string, file: string, folder: string): void {
  const refused = writeRefusal(folder);
  if (!refused) return;
  const code = refused.code ?? 'EACCES';
  const why = code === 'EROFS' ? 'is on a read-only filesystem' : `cannot be written (${code})`;
  throw new MachineFaultError(code, `${flag} ${file}: the folder ${folder} ${why}: make it writable or choose another ${flag}; nothing was scored`, { cause: refused });
}
