/**
 * Preloaded into the CLI by tests (`NODE_OPTIONS=--import <this file>`): a full disk under one file only. The
 * synchronous writes (`writeSync` of node:fs) to descriptors opened with `openSync` on SB_TEST_ENOSPC_FILE take the
 * first SB_TEST_ENOSPC_AFTER writes (default 0), then each is refused with ENOSPC; every other file takes its writes.
 * It stands for the moment a tmpfs hits at random (the answer journal's append refused, the checkpoint written just
 * after it taken: a page freed meanwhile), which a sized mount reaches only by luck.
 * Plain JavaScript: the child process runs it as it is, with nothing to build.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const target = process.env.SB_TEST_ENOSPC_FILE;
// SB_TEST_ENOSPC_PREFIX=1: every file whose path begins with SB_TEST_ENOSPC_FILE (a temporary file named after its pid).
const matches = (file) => (process.env.SB_TEST_ENOSPC_PREFIX === '1' ? path.resolve(file).startsWith(path.resolve(target)) : path.resolve(file) === path.resolve(target));
if (target) {
  const after = Number(process.env.SB_TEST_ENOSPC_AFTER ?? 0);
  const refusing = new Set();
  let writes = 0;
  const openSync = fs.openSync;
  fs.openSync = function (file, ...rest) {
    const fd = openSync.call(this, file, ...rest);
    if (typeof file === 'string' && matches(file)) refusing.add(fd);
    return fd;
  };
  const closeSync = fs.closeSync;
  fs.closeSync = function (fd) {
    refusing.delete(fd);
    return closeSync.call(this, fd);
  };
  let refused = false;
  const writeSync = fs.writeSync;
  fs.writeSync = function (fd, ...rest) {
    if (refusing.has(fd) && ++writes > after) {
      refused = true;
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    }
    return writeSync.call(this, fd, ...rest);
  };
  // `import { writeSync } from 'node:fs'` sees the replacements too.
  syncBuiltinESMExports();
  // SB_TEST_ENOSPC_ASYNC=1: a FileHandle's writeFile (writeFileAtomic: --report, --summary-json) on a matching file is
  // refused too, the file told by its descriptor's link in /proc (Linux). SB_TEST_ENOSPC_ASYNC=after-refusal: the disk
  // stays full once a write above was refused: from then on every FileHandle writeFile in SB_TEST_ENOSPC_FILE's folder
  // is refused (the checkpoint a stop writes after the journal refused an answer), none before.
  const afterRefusal = process.env.SB_TEST_ENOSPC_ASYNC === 'after-refusal';
  // The folder as /proc names it: its real path (a temporary folder may be reached through a symlink).
  const folder = () => fs.realpathSync(path.dirname(path.resolve(target)));
  const refusesAsync = (file) => (afterRefusal ? refused && path.dirname(file) === folder() : matches(file));
  if (process.env.SB_TEST_ENOSPC_ASYNC === '1' || afterRefusal) {
    const probe = await fs.promises.open(new URL(import.meta.url), 'r');
    const proto = Object.getPrototypeOf(probe);
    await probe.close();
    const writeFile = proto.writeFile;
    proto.writeFile = function (...rest) {
      let file = '';
      try {
        file = fs.readlinkSync(`/proc/self/fd/${this.fd}`);
      } catch {}
      if (file && refusesAsync(file)) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' }));
      return writeFile.apply(this, rest);
    };
  }
}
