// Public surface of the carrier simulator: start an SMSC in-process (tests, benches) and share the
// SMPP trace TLV registration with ESMEs.
export { startSmsc } from './smsc/start-smsc';
export { registerTraceTlv, TRACE_TLV_ID, TRACE_TLV_TAG } from '@sabia/smpp';
export { formatReceipt, MESSAGE_STATE } from './smsc/receipt';
export { startHttpControl, type HttpControl } from './http-control';
export type { CarrierProfile, MobileOriginated, Smsc, SmscAccount, SmscCounts, SmscOptions } from './smsc/types';
