/**
 * One call of an agency's webhook, the same locally (local/notifications.ts) and in AWS
 * (./logged-sender.ts): a JSON POST with the notification id in `x-notification-id` (the
 * receiver deduplicates by it), a time limit, redirects not followed. Retrying and parking are
 * the caller's: it gets the reason a call failed.
 */
export interface WebhookCall {
  readonly id: string;
  readonly to: string;
  readonly caseId: string;
  readonly unit?: string;
  readonly code: string;
  readonly cause: string;
  readonly text: string;
  readonly at: string;
}

export type WebhookOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export async function callWebhook(call: WebhookCall, options: { timeoutMs: number; signal?: AbortSignal }): Promise<WebhookOutcome> {
  try {
    const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
    const response = await fetch(call.to, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.any(signals),
      headers: { 'content-type': 'application/json', 'x-notification-id': call.id },
      body: JSON.stringify({ id: call.id, caseId: call.caseId, unit: call.unit, code: call.code, cause: call.cause, text: call.text, at: call.at }),
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return { ok: true };
    return { ok: false, reason: response.status >= 300 && response.status < 400 ? `redirected (${response.status}); webhooks are not followed` : `answered ${response.status}` };
  } catch (error) {
    return { ok: false, reason: (error as Error).name === 'TimeoutError' ? 'timed out' : `unreachable: ${(error as Error).message}` };
  }
}
