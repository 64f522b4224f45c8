/** Workers AI defaults, apart from the client so that reading settings does not load the HTTP client. */
export const DEFAULT_BASE_URL = 'https://api.cloudflare.com/client/v4';
export const DEFAULT_MODEL = '@cf/huggingface/distilbert-sst-2-int8';

/**
 * The base URL when it is not the real service's, without trailing slashes; undefined for the default.
 * Answers are kept apart by it (Scorer.endpoint): a local imitation's or a test server's answers must never
 * be taken for Workers AI's from the cache, a checkpoint or the answer journal.
 */
export function customEndpoint(baseUrl: string | undefined): string | undefined {
  const trimmed = baseUrl?.replace(/\/+$/, '');
  return trimmed === undefined || trimmed === DEFAULT_BASE_URL ? undefined : trimmed;
}
