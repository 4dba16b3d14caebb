// `kpic alert --webhook URL`: one JSON POST per run (docs/alerts.md).
//
// The body is Slack-compatible (`text`) and carries the structured report
// (`breaches`, `resolved`, `evaluated`). The URL is a secret (a chat
// webhook's path is its credential), and so is the token: neither is ever
// printed; messages name the endpoint by its origin only.

export interface WebhookOptions {
  /** Attempts in all (1 = no retry). */
  readonly attempts: number;
  /** Per attempt. */
  readonly timeoutMs: number;
  /** The first wait between attempts; it doubles each time. */
  readonly backoffMs: number;
  /** Sent as `Authorization: Bearer ...` when set. */
  readonly token?: string;
}

export class WebhookError extends Error {}

/** `https://hooks.example.com/services/T0/B0/xyz` -> `https://hooks.example.com`: what may be shown. */
export function endpointName(url: URL): string {
  return url.origin;
}

/** Check a webhook URL before any work is done; the message never contains the URL. */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookError('the webhook URL is not a URL (it is not shown, as it may hold a secret)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new WebhookError(`the webhook URL must be http or https, not ${url.protocol.replace(':', '')}`);
  return url;
}

/** POST `body` as JSON; retries on network errors, timeouts, 429 and 5xx, with backoff. Resolves with the attempts used. */
export async function postWebhook(url: URL, body: unknown, options: WebhookOptions): Promise<number> {
  const payload = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'kpic-alert' };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let last = '';
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    if (attempt > 1) await sleep(options.backoffMs * 2 ** (attempt - 2));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: payload,
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'error',
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return attempt;
      last = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      if (response.status < 500 && response.status !== 429) {
        throw new WebhookError(`the webhook at ${endpointName(url)} refused the message: ${last}`);
      }
    } catch (error) {
      if (error instanceof WebhookError) throw error;
      last = describe(error, options.timeoutMs);
    }
  }
  throw new WebhookError(
    `the webhook at ${endpointName(url)} did not take the message after ${options.attempts} attempt${options.attempts === 1 ? '' : 's'}: ${last}`,
  );
}

/** A fetch failure in words, without the URL (undici's messages may contain it). */
function describe(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code) return `network error ${code}`;
  return 'network error';
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
