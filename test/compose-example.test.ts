/**
 * jobs/compose/docker-compose.yml runs the image as the docker run examples do (docs/container.md): read-only root,
 * no capabilities, no-new-privileges. No Compose v2 runs in the tests (the container test uses docker run), so the
 * file is read as text: every service that runs the image, itself or through the `x-job` anchor, says all three.
 * It also keeps to what Debian 12's docker-compose 1.29 reads (the only Compose Debian 12 has), checked by hand there.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..');
const text = readFileSync(path.join(repo, 'jobs/compose/docker-compose.yml'), 'utf8');

/** The lines under `key:` at `indent` spaces, up to the next key at that indent or less (comments left out). */
function blocks(lines: readonly string[], indent: number): Map<string, string[]> {
  const found = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of lines) {
    if (/^\s*(#|$)/.test(line)) continue;
    const lead = line.match(/^ */)![0].length;
    const key = line.slice(indent).match(/^([\w.-]+):/)?.[1];
    if (lead === indent && key !== undefined) found.set(key, (current = []));
    else if (lead <= indent) current = undefined;
    else current?.push(line);
  }
  return found;
}

describe('jobs/compose/docker-compose.yml', () => {
  const lines = text.split('\n');
  const top = blocks(lines, 0);
  const job = top.get('x-job') ?? [];
  const services = blocks(top.get('services') ?? [], 2);

  it("locks down every service that runs sentiment-batch's image, as the docker run examples do", () => {
    const ours = [...services].filter(([, body]) => body.some((line) => /^\s+(<<: \*job|build:)/.test(line)));
    // job-a, job-b (through x-job) and the local profile's workers-ai.
    expect(ours.map(([name]) => name).sort()).toEqual(['job-a', 'job-b', 'workers-ai']);
    for (const [name, body] of ours) {
      const settings = [...body, ...(body.some((line) => /<<: \*job/.test(line)) ? job : [])].map((line) => line.trim());
      expect(settings, name).toContain('read_only: true');
      expect(settings, name).toContain('cap_drop: [ALL]');
      expect(settings, name).toContain('security_opt: ["no-new-privileges:true"]');
    }
  });

  // Debian 12's docker-compose 1.29 refuses the whole file for a top-level `name:` ("'name' does not match any of the
  // regexes: '^x-'") or a `required:` under depends_on ("depends_on contains unsupported option: 'required'").
  it("uses no key Debian 12's docker-compose 1.29 refuses", () => {
    expect([...top.keys()]).not.toContain('name');
    expect(lines.filter((line) => /^\s+required:/.test(line))).toEqual([]);
  });

  // A fixed name (it was sentiment-batch:local) made `up --build` on a shared machine replace another user's image of
  // that name; with none, Compose names each service's image after the project. Only redis names one, to pull.
  it('builds its own image without naming it, so the name is the project\'s', () => {
    expect(job.map((line) => line.trim())).toContain('build:');
    expect(services.get('workers-ai')?.map((line) => line.trim())).toContain('build:');
    expect(lines.filter((line) => /^\s+image:/.test(line)).map((line) => line.trim())).toEqual(['image: redis:7-alpine']);
  });
});
