import { applyOnce, decodeEvent, startConsumer, SUBJECTS, type Bus } from '@sabia/bus';
import { incidentEvents } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { processedEvents } from '../db';
import { declareIncidentWindow } from './declare-window';

const CONSUMER = 'billing-incident-window';

/** Incident windows from the incident service: what was reserved inside one is never billed. */
export function startIncidentConsumer(db: Db, bus: Bus, logger: Logger) {
  return startConsumer({
    bus,
    logger,
    spec: { domain: 'incident', durable: CONSUMER, subject: SUBJECTS.incidentWindowDeclared },
    async handle(event) {
      const window = decodeEvent(incidentEvents.IncidentWindowDeclared, event.data, 'IncidentWindowDeclared');
      const fresh = await db.transaction((tx) => applyOnce(tx, processedEvents, CONSUMER, event.id));
      if (!fresh) return;
      const voided = await declareIncidentWindow(db, window);
      logger.info({ incidentId: window.incidentId, voided }, 'incident window declared: reservations inside it voided');
    },
  });
}
