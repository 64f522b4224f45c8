/**
 * Preloaded into the CLI by tests (`NODE_OPTIONS=--import <this file>`, `SB_TEST_SYNC_LOG=<file>`): watches the
 * order of the process's writes, fsyncs and renames, as a power cut would judge it, and appends to SB_TEST_SYNC_LOG:
 * - `rename <from> -> <to>` for each rename (a test can tell that the renames it looks at happened);
 * - `unsynced <from> -> <to>` when a file is renamed with bytes written to it since its last fsync: after a power
 *   cut the name may stand with its content lost or torn (a checkpoint that is no JSON, an output cut short);
 * - `checkpoint <to> promises <n> bytes of <partial>, <m> synced` when a checkpoint (*.checkpoint.json) is put in
 *   place that counts more of the partial output than was fsynced: after a power cut the next run resumes after
 *   rows that are not there.
 * Both the promise and the sync forms are watched (node:fs/promises' open, FileHandle writes and syncs, rename;
 * node:fs's openSync, writeSync, writeFileSync on a descriptor, fsyncSync, renameSync). Plain JavaScript: the child
 * runs it as it is, with nothing to build.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const log = process.env.SB_TEST_SYNC_LOG;
if (log) {
  const note = (line) => fs.appendFileSync(log, `${line}\n`);
  /** Per path: writes started, the writes count its last fsync covered, and its size at that fsync. */
  const writes = new Map();
  const syncedWrites = new Map();
  const syncedSize = new Map();
  const wrote = (file) => file !== undefined && writes.set(file, (writes.get(file) ?? 0) + 1);
  const handlePaths = new WeakMap();
  const fdPaths = new Map();

  const open = fs.promises.open;
  fs.promises.open = async function (file, ...rest) {
    const handle = await open.call(this, file, ...rest);
    handlePaths.set(handle, path.resolve(String(file)));
    return handle;
  };
  const probe = await open('/dev/null');
  const FileHandle = Object.getPrototypeOf(probe);
  await probe.close();
  for (const name of ['write', 'writev', 'writeFile', 'appendFile', 'truncate']) {
    const real = FileHandle[name];
    FileHandle[name] = function (...args) {
      wrote(handlePaths.get(this));
      return real.apply(this, args);
    };
  }
  for (const name of ['sync', 'datasync']) {
    const real = FileHandle[name];
    FileHandle[name] = async function (...args) {
      const file = handlePaths.get(this);
      const covered = writes.get(file) ?? 0;
      const { size } = await this.stat();
      const result = await real.apply(this, args);
      if (file !== undefined) {
        syncedWrites.set(file, covered);
        syncedSize.set(file, size);
      }
      return result;
    };
  }

  const openSync = fs.openSync;
  fs.openSync = function (file, ...rest) {
    const fd = openSync.call(this, file, ...rest);
    if (typeof file === 'string' || file instanceof URL || Buffer.isBuffer(file)) fdPaths.set(fd, path.resolve(String(file)));
    return fd;
  };
  const closeSync = fs.closeSync;
  fs.closeSync = function (fd, ...rest) {
    fdPaths.delete(fd);
    return closeSync.call(this, fd, ...rest);
  };
  const writeSync = fs.writeSync;
  fs.writeSync = function (fd, ...rest) {
    wrote(fdPaths.get(fd));
    return writeSync.call(this, fd, ...rest);
  };
  const writeFileSync = fs.writeFileSync;
  fs.writeFileSync = function (target, ...rest) {
    if (typeof target === 'number') wrote(fdPaths.get(target));
    return writeFileSync.call(this, target, ...rest);
  };
  for (const name of ['fsyncSync', 'fdatasyncSync']) {
    const real = fs[name];
    fs[name] = function (fd, ...rest) {
      const file = fdPaths.get(fd);
      const covered = writes.get(file) ?? 0;
      const { size } = fs.fstatSync(fd);
      const result = real.call(this, fd, ...rest);
      if (file !== undefined) {
        syncedWrites.set(file, covered);
        syncedSize.set(file, size);
      }
      return result;
    };
  }

  /** Judges a rename about to be made, then moves what is known of `from` to `to`. */
  const judge = (fromPath, toPath) => {
    const from = path.resolve(String(fromPath));
    const to = path.resolve(String(toPath));
    note(`rename ${from} -> ${to}`);
    if ((writes.get(from) ?? 0) > (syncedWrites.get(from) ?? 0)) note(`unsynced ${from} -> ${to}`);
    if (to.endsWith('.checkpoint.json')) {
      let promised;
      try {
        promised = JSON.parse(fs.readFileSync(from, 'utf8'))?.position?.outputBytes;
      } catch {
        note(`checkpoint ${to} unreadable`);
      }
      const partial = `${to.slice(0, -'.checkpoint.json'.length)}.partial`;
      const synced = syncedSize.get(partial);
      if (typeof promised === 'number' && !(synced >= promised)) note(`checkpoint ${to} promises ${promised} bytes of ${partial}, ${synced ?? 'none'} synced`);
    }
    return () => {
      for (const known of [writes, syncedWrites, syncedSize]) {
        if (known.has(from)) known.set(to, known.get(from));
        else known.delete(to);
        known.delete(from);
      }
    };
  };
  const rename = fs.promises.rename;
  fs.promises.rename = async function (from, to) {
    const moved = judge(from, to);
    await rename.call(this, from, to);
    moved();
  };
  const renameSync = fs.renameSync;
  fs.renameSync = function (from, to) {
    const moved = judge(from, to);
    renameSync.call(this, from, to);
    moved();
  };
  // `import { rename } from 'node:fs/promises'`, `import { renameSync } from 'node:fs'` and the rest see these too.
  syncBuiltinESMExports();
}
