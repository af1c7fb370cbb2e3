export { GSM7_BASIC, GSM7_EXTENSION, gsm7Septets } from './gsm7';
export { countParts, type Encoding, type PartCount } from './parts';
