export { GSM7_BASIC, GSM7_EXTENSION, gsm7Septets } from './gsm7';
export { GSM7_ESCAPE, NotGsm7Error, decodeGsm7, encodeGsm7, packSeptets, unpackSeptets } from './gsm7-codec';
export { countParts, type Encoding, type PartCount } from './parts';
export { MAX_CHAR_LIMIT, prepareSms, previewSms, type PreparedSms, type SmsOptions, type SmsPreview } from './preview';
export {
  DATA_CODING,
  MAX_USER_DATA_OCTETS,
  PART_LIMITS,
  splitMessage,
  type SmsPart,
  type SplitMessage,
  type SplitOptions,
} from './split';
export { toGsm7, type Gsm7Options } from './transliterate';
export { assertWellFormed, decodeUcs2, encodeUcs2, isHighSurrogate, isLowSurrogate } from './ucs2';
export { CONCAT_UDH_LENGTH, concatenationUdh } from './udh';
