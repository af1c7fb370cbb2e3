import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signature, verifyWebhook, webhookHeaders } from './standard-webhooks';

describe('Standard Webhooks signatures', () => {
  it('matches the specification’s example', () => {
    // From the Standard Webhooks / Svix documentation.
    const sig = signature('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(sig).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies with either secret during a rotation, and refuses a changed body or an old timestamp', () => {
    const [old, current] = [newWebhookSecret(), newWebhookSecret()];
    const now = Date.now();
    const ts = Math.floor(now / 1000);
    const headers = webhookHeaders([current, old], 'cb_1', ts, '{"a":1}');
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verifyWebhook(old, headers, '{"a":1}', 300, now)).toBe(true);
    expect(verifyWebhook(current, headers, '{"a":1}', 300, now)).toBe(true);
    expect(verifyWebhook(newWebhookSecret(), headers, '{"a":1}', 300, now)).toBe(false);
    expect(verifyWebhook(current, headers, '{"a":2}', 300, now)).toBe(false);
    expect(verifyWebhook(current, headers, '{"a":1}', 300, now + 600_000)).toBe(false);
  });
});
