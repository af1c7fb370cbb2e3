/// <reference path="./smpp.d.ts" />
export { coalesceWrites } from './coalesce-writes';
export { parseReceipt, parseReceiptDate, type ParsedReceipt } from './receipt-parse';
export { registerTraceTlv, TRACE_TLV_ID, TRACE_TLV_TAG } from './trace-tlv';
