import { estimateJob, formatEstimate } from '../job/estimate.js';
import { parseJobFlags } from '../config/resolve.js';
import { scoreHelp } from './help.js';
import { settingsFor, type CommandIo } from './score.js';

/** `estimate INPUT [flags] [--json]`: what a Workers AI run would send and cost, without sending anything. */
export async function estimateCommand(argv: string[], io: CommandIo): Promise<number> {
  const json = argv.includes('--json');
  const parsed = parseJobFlags(argv.filter((arg) => arg !== '--json'));
  if (parsed.help) {
    io.stdout.write(`${scoreHelp('estimate')}  --json                         print the figures as JSON\n`);
    return 0;
  }
  const settings = settingsFor('score', parsed.positionals, parsed.flags, io.env);
  const estimate = await estimateJob(settings);
  io.stdout.write(json ? `${JSON.stringify(estimate, null, 2)}\n` : formatEstimate(estimate));
  return 0;
}
