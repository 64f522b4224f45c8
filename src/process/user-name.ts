import { readFileSync } from 'node:fs';

/**
 * The login name of `uid` from /etc/passwd ("1000" -> "cloudsdk"), or undefined where it is not there (another OS,
 * a user known only to LDAP, no such file): a refusal naming another user's files says whose they are in the words
 * a reader knows, not only as a number.
 */
export function userNameOf(uid: number, passwd = '/etc/passwd'): string | undefined {
  let text: string;
  try {
    text = readFileSync(passwd, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name && id !== undefined && Number(id) === uid && id.trim() !== '') return name;
  }
  return undefined;
}
