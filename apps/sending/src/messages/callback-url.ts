import { checkCustomerUrl, STRICT_POLICY, type AddressPolicy } from '@sabia/webhooks';

/**
 * A callback URL as given with a send or in the settings: checked against SSRF when we get it
 * (literal addresses); status-tracking checks where the name resolves at every delivery.
 */
export const checkCallbackUrl = (raw: string, policy: AddressPolicy = STRICT_POLICY): string => checkCustomerUrl(raw, 'callback_url', policy);
