import smpp from 'smpp';

/**
 * W3C traceparent carried over SMPP in a vendor-specific TLV (SMPP 3.4 §5.3.2 reserves
 * 0x1400–0x3FFF for SMSC vendors). Both ends must register the same tag and id, because the
 * smpp package keeps its TLV table in one module-global map: an unregistered TLV arrives as a raw
 * Buffer under the numeric key (pdu[0x1501]) and an unregistered option is silently not encoded.
 */
export const TRACE_TLV_TAG = 'sabia_traceparent';
export const TRACE_TLV_ID = 0x1501;

/** Registers the trace TLV with the smpp package. Safe to call any number of times. */
export function registerTraceTlv(): void {
  const existing = smpp.tlvs[TRACE_TLV_TAG];
  if (existing) {
    // Invariant: someone else registering the same name with another id would corrupt traces.
    if (existing.id !== TRACE_TLV_ID) {
      throw new Error(`smpp TLV ${TRACE_TLV_TAG} already registered with id 0x${existing.id.toString(16)}`);
    }
    return;
  }
  smpp.addTLV(TRACE_TLV_TAG, { id: TRACE_TLV_ID, type: smpp.types.tlv.cstring });
}
