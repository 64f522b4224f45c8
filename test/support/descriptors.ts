import { readdirSync, readlinkSync } from 'node:fs';

/** This process's open file descriptors on `file` (Linux: /proc/self/fd). */
export function descriptorsOn(file: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  }).length;
}
