import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface LineChild {
  child: ChildProcess;
  lines: AsyncIterator<string>;
}

/** Runs a Node script whose stdout is read line by line (stderr goes to the test's). */
export function startChild(script: string, args: string[]): LineChild {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  return { child, lines };
}

export async function nextLine(lines: AsyncIterator<string>, what: string): Promise<string> {
  const next = await lines.next();
  if (next.done === true) throw new Error(`child exited before ${what}`);
  return next.value;
}
