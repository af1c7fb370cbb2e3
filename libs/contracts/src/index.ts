// The one place generated contracts are imported from. Each proto package gets a namespace;
// events live apart from services so a consumer imports only what travels on NATS.
export * as common from './gen/sabia/common/v1/status_codes';
export * as sending from './gen/sabia/sending/v1/sending_service';
export * as sendingEvents from './gen/sabia/sending/v1/events';
export * as status from './gen/sabia/status/v1/status_service';
export * as statusEvents from './gen/sabia/status/v1/events';
export * as billing from './gen/sabia/billing/v1/billing_service';
export * as ticketing from './gen/sabia/ticketing/v1/ticketing_service';
export * as incident from './gen/sabia/incident/v1/incident_service';
export * as incidentEvents from './gen/sabia/incident/v1/events';
export * as busEnvelope from './gen/sabia/bus/v1/event_batch';
export { SentStatus, DeliveredStatus } from './gen/sabia/common/v1/status_codes';
export { descriptorSetBase64 } from './gen/descriptor-set';
export { encodeMessage, type MessageEncoder } from './encode-message';
