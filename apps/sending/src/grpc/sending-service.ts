import type { sending as pb } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import type { AddressPolicy } from '@sabia/webhooks';
import type { HandlerKit } from '@sabia/grpc-kit';
import type { Logger } from '@sabia/logger';
import type { Router } from '../routing/router';
import type { BillingPorts } from '../billing/billing-ports';
import { customerHandlers } from './customer-handlers';
import { messageHandlers } from './message-handlers';
import { routingHandlers } from './routing-handlers';

/** Sending's gRPC adapter: decode → verb → encode, errors mapped once by the kit. */
export function sendingService(deps: { db: Db; billing: BillingPorts; router: Router; urlPolicy: AddressPolicy; logger: Logger }, kit: HandlerKit): pb.SendingServiceServer {
  return { ...messageHandlers(deps, kit), ...customerHandlers(deps.db, kit, deps.urlPolicy), ...routingHandlers(deps.db, deps.router, kit) };
}
