/**
 * The environment a CLI run needs to score against a local Workers AI–compatible server (the project's own, or a stub
 * standing in for it): an account, a token, and the server's base URL. Tests whose assertions name the account or the
 * token (redaction, the URL a request went to) pass their own; the defaults are the ones most tests spelled by hand.
 */
export function workersAiEnv(
  server: { baseURL: string },
  credentials: { account?: string; token?: string } = {},
): { CLOUDFLARE_ACCOUNT_ID: string; CLOUDFLARE_API_TOKEN: string; CLOUDFLARE_BASE_URL: string } {
  return {
    CLOUDFLARE_ACCOUNT_ID: credentials.account ?? 'acct',
    CLOUDFLARE_API_TOKEN: credentials.token ?? 'token-abcdef123456',
    CLOUDFLARE_BASE_URL: server.baseURL,
  };
}
