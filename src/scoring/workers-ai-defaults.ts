/** Workers AI defaults, apart from the client so that reading settings does not load the HTTP client. */
export const DEFAULT_BASE_URL = 'https://api.cloudflare.com/client/v4';
export const DEFAULT_MODEL = '@cf/huggingface/distilbert-sst-2-int8';
