import { incident as pb } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import type { HandlerKit } from '@sabia/grpc-kit';
import type { ComponentStatus } from '../components/component-status';
import { listComponents } from '../components/list-components';

const STATUS_TO_PB: Record<ComponentStatus, pb.ComponentStatus> = {
  operational: pb.ComponentStatus.COMPONENT_STATUS_OPERATIONAL,
  degraded_performance: pb.ComponentStatus.COMPONENT_STATUS_DEGRADED_PERFORMANCE,
  partial_outage: pb.ComponentStatus.COMPONENT_STATUS_PARTIAL_OUTAGE,
  major_outage: pb.ComponentStatus.COMPONENT_STATUS_MAJOR_OUTAGE,
  under_maintenance: pb.ComponentStatus.COMPONENT_STATUS_UNDER_MAINTENANCE,
};

/** Incident's gRPC adapter: decode → verb → encode. Components are public, so any verified principal may list them. */
export function incidentService(db: Db, kit: HandlerKit): pb.IncidentServiceServer {
  return {
    listComponents: kit.unary(async (_req: pb.ListComponentsRequest) => ({
      components: (await listComponents(db)).map((c) => ({
        id: c.id,
        name: c.name,
        status: STATUS_TO_PB[c.status],
        updatedAt: c.updatedAt,
      })),
    })),
  };
}
