import path from 'node:path';
import type { JobSettings } from '../config/options.js';
import { MachineFaultError } from '../errors.js';
import { settingWords, type SettingWords } from '../config/setting-names.js';
import { createFolder } from './create-folder.js';
import { writeRefusal } from './write-refusal.js';
import { notWritableBy } from '../wording/not-writable.js';

/**
 * --summary-json and --report into a folder that does not exist yet: created
 * before the run, as -o's folder is, so a missing folder never surfaces only
 * after every row has been scored. A folder that cannot be created, or exists
 * but cannot be written (read-only, no permission), fails here (exit 74,
 * naming the flag and the folder), before any work.
 */
type TargetFlag = '--summary-json' | '--report';

export async function createTargetFolders(settings: JobSettings, flags: readonly TargetFlag[] = ['--summary-json', '--report']): Promise<void> {
  const targets: Array<[flag: TargetFlag, key: 'summaryJson' | 'report']> = [
    ['--summary-json', 'summaryJson'],
    ['--report', 'report'],
  ];
  for (const [flag, key] of targets) {
    const file = settings[key];
    if (!file || !flags.includes(flag)) continue;
    const folder = path.dirname(path.resolve(file));
    // Named as the user gave it: a job file's "summaryJson" is no flag anybody typed.
    const named = settingWords(settings, key, flag, file);
    await createFolder(folder, named);
    refuseUnwritable(named, folder);
  }
}

function refuseUnwritable(named: SettingWords, folder: string): void {
  const refused = writeRefusal(folder);
  if (!refused) return;
  const code = refused.code ?? 'EACCES';
  // Not this user's to write (a bind mount owned by another uid): say whom to give it to, as the job's own files do (machine-fault.ts).
  const why =
    code === 'EROFS'
      ? 'is on a read-only filesystem: make it writable or choose another path'
      : code === 'EACCES' || code === 'EPERM'
        ? notWritableBy(folder, named.setting)
        : `cannot be written (${code}): make it writable or choose another path`;
  // Before the job looked at its output: whether that is done already or not, this run did nothing.
  throw new MachineFaultError(code, `${named.head}: the folder ${folder} ${why}; nothing was done`, { cause: refused });
}
