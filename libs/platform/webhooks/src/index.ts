export { AddressPolicy, STRICT_POLICY } from './address-policy';
export { checkCustomerUrl } from './check-url';
export { ConnectionPool, DeliveryNetworkError } from './connection-pool';
export { RefusedDestinationError, safePost, type PostResult } from './safe-post';
export { newWebhookSecret, signature, verifyWebhook, webhookHeaders } from './standard-webhooks';
