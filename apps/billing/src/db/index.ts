export { accounts } from './accounts';
export { incidentWindows } from './incident-windows';
export { creditNotes, invoiceCounters, invoiceLines, invoices } from './invoices';
export { outbox } from './outbox';
export { prices } from './prices';
export { processedEvents } from './processed-events';
export { quotas } from './quotas';
export { billing } from './schema';
export { transfers } from './transfers';
