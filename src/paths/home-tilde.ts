import { ConfigError } from '../errors.js';

/**
 * A job file's path that starts with ~ (`"cache": "~/cache"`): a shell expands it on the command line, but
 * nothing expands it in JSON, so it named a folder called ~ beside the job file, and the operator who
 * cleans that up with `rm -rf ~` removes the home folder. Refused at start (exit 2); a ~ inside a name is a name.
 */
export function refuseHomeTilde(name: string, value: string): void {
  if (!/^~[^/\\]*([/\\]|$)/.test(value)) return;
  throw new ConfigError(
    `${name} is '${value}': a job file is not read by a shell, so ~ is not your home folder (it would be a folder named ~ beside the job file); ` +
      "give the full path, or one relative to the job file's folder",
  );
}
