import { join } from 'node:path';

/** The carriers file in the repository: every carrier bound to carrier-sim on 127.0.0.1:2775. */
export const SHIPPED_CARRIERS_FILE = join(__dirname, '../../../../config/carriers.json');
