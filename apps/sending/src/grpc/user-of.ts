import type { UserPrincipal } from '@sabia/auth';
import { PermissionDeniedError } from '@sabia/errors';
import type { CallContext } from '@sabia/grpc-kit';

export const userOf = (ctx: CallContext): UserPrincipal => {
  if (ctx.principal.kind !== 'user') throw new PermissionDeniedError('sending needs a user token (account, subaccount, role)');
  return ctx.principal;
};
