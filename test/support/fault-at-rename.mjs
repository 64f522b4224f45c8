/**
 * Preloaded into the CLI by tests (`NODE_OPTIONS=--import <this file>`): the rename onto SB_TEST_FAULT_RENAME_TO is
 * refused with SB_TEST_FAULT_RENAME_CODE (default EROFS), as a folder remounted read-only, or made unwritable, between
 * the last row written and the rename that completes the output would refuse it (as root, chmod refuses nothing).
 * `rename` of node:fs/promises is watched. Plain JavaScript: the child process runs it as it is, with nothing to build.
 * SB_TEST_FAULT_RENAME_IF, when set, refuses only a rename whose source file holds that text (the checkpoint that says
 * `"completed":true`, not the ones written before it onto the same path).
 */
import fs, { readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const target = process.env.SB_TEST_FAULT_RENAME_TO;
if (target) {
  const code = process.env.SB_TEST_FAULT_RENAME_CODE ?? 'EROFS';
  const holding = process.env.SB_TEST_FAULT_RENAME_IF;
  const refused = (from) => {
    if (holding === undefined) return true;
    try {
      return readFileSync(String(from), 'utf8').includes(holding);
    } catch {
      return false;
    }
  };
  const rename = fs.promises.rename;
  fs.promises.rename = async function (from, to) {
    if (path.resolve(String(to)) === path.resolve(target) && refused(from)) {
      throw Object.assign(new Error(`${code}: refused, rename '${from}' -> '${to}'`), { code, syscall: 'rename', path: String(from), dest: String(to) });
    }
    return rename.call(this, from, to);
  };
  syncBuiltinESMExports();
}
