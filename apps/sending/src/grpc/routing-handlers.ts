import type { sending as pb } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { PermissionDeniedError } from '@sabia/errors';
import type { HandlerKit } from '@sabia/grpc-kit';
import { importPortedNumbers } from '../routing/import-ported-numbers';
import type { Router } from '../routing/router';

/** Routing data that operators maintain (the carriers file is configuration; portability is data). */
export function routingHandlers(db: Db, router: Router, kit: HandlerKit) {
  return {
    importPortedNumbers: kit.unary(async (req: pb.ImportPortedNumbersRequest, ctx) => {
      if (ctx.principal.kind !== 'service') throw new PermissionDeniedError('the portability base is loaded by Sabiá operators (a service token)');
      return importPortedNumbers(db, router, req);
    }),
  };
}
