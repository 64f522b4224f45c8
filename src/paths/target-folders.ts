import path from 'node:path';
import type { JobSettings } from '../config/options.js';
import { createFolder } from './create-folder.js';

/**
 * --summary-json and --report into a folder that does not exist yet: created
 * before the run, as -o's folder is, so a missing folder never surfaces only
 * after every row has been scored. A folder that cannot be created fails here
 * (exit 74, naming it), before any work.
 */
export async function createTargetFolders(settings: JobSettings): Promise<void> {
  for (const file of [settings.summaryJson, settings.report]) {
    if (file) await createFolder(path.dirname(path.resolve(file)));
  }
}
