/**
 * Preloaded into the CLI by tests (`NODE_OPTIONS=--import <this file>`): the memory limit of a container, without
 * Docker or root. SB_TEST_MEMORY_LIMIT (bytes) is what `process.constrainedMemory()` answers, which
 * process/memory-room.ts's memoryLimit counts beside the cgroup's own files (on a host without a limit those say none).
 * Plain JavaScript: the child process runs it as it is.
 */
const limit = Number(process.env.SB_TEST_MEMORY_LIMIT);
if (Number.isFinite(limit) && limit > 0) process.constrainedMemory = () => limit;
