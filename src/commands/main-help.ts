/**
 * The text of `sentiment-batch --help`, alone in its module: --help loads nothing else (commands/help.ts builds each
 * command's option list from the option table, which this page does not show).
 */
export const MAIN_HELP = `sentiment-batch — score CSV/JSONL review exports for sentiment

Usage:
  sentiment-batch score INPUT [options]      score a file (- for standard input)
  sentiment-batch run JOB.json [options]     score as a job file says; options override it
  sentiment-batch estimate INPUT [options]   count rows, tokens, neurons and cost without scoring
  sentiment-batch report SCORED [options]    an HTML page (or JSON) with charts of a scored file (see report --help)
  sentiment-batch serve [options]            a local Workers AI-compatible server (see serve --help)
  sentiment-batch model pull | list          fetch / list the model for --backend local (see model --help)
  sentiment-batch --version

Backend: Workers AI (@cf/huggingface/distilbert-sst-2-int8) when CLOUDFLARE_ACCOUNT_ID and
CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_TOKEN_FILE) are set, the embedded offline model when neither is
(only one of them is refused, exit 2).
--backend local runs the same DistilBERT on this machine (ONNX Runtime; 'model pull' fetches it once).

Exit codes:
  0   done (or already done: nothing to do); rows that failed under --max-error-rate are
      counted on the summary's last line, which says whether running again retries them
  1   internal error (a bug; please report it)
  2   usage or configuration error: fix the command, job file or environment
  3   input error: the input cannot be read or parsed, or it changed while it was read (a
      checkpoint keeps what was written); --resume require without a matching checkpoint
  4   fatal API error: token rejected, no permission, unknown model, a TLS certificate not
      trusted (NODE_EXTRA_CA_CERTS adds a CA); model pull: the Hub refused, the download
      failed or a file did not match its hash
  5   too many rows failed (--max-errors / --max-error-rate, judged again over the whole
      job once its output is complete, so a small input whose rows all failed is exit 5 too,
      and a rerun that finds the job already done exits 5 again), or a request budget
      went on a service that looks down
  74  the machine refused (disk full, read-only, permission, open files, busy port): fix it, run again
  75  try later: daily allocation or budget used up, another run holds the output's lock,
      or Redis (--redis) unreachable for over 2 minutes mid-run
  130 interrupted (SIGINT/SIGTERM/SIGHUP); run the same command to continue
      (a run reading standard input or writing to standard output (-o -) cannot continue:
      it starts again from the beginning)
  137 killed (SIGKILL, the OOM killer): said by the shell or the container runtime, as the
      command could write nothing, not even its summary; run the same command to continue
  143 SIGTERM in Node's own first milliseconds, before the command handles signals (the
      image's tini passes it on): nothing had begun, nothing written; run the command again

Run 'sentiment-batch score --help' for the scoring options.
`;
