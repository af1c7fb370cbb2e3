import type { UserPrincipal } from './principal';
import { PermissionDeniedError } from '@sabia/errors';

// Roles that manage sending settings and lists for the whole organisation (seed 002's
// Administrador and Gerente see everything; the others act within their own subaccount).
const ORG_WIDE = new Set(['administrador', 'gerente']);

/** Administrador and gerente act on every subaccount of their account. */
export const isOrgWide = (principal: UserPrincipal): boolean => ORG_WIDE.has(principal.role);

/** The subaccount a call acts on: the caller's own, or another one for org-wide roles. */
export function targetSubaccount(principal: UserPrincipal, requested: string): string {
  if (!requested || requested === principal.subaccountId) return principal.subaccountId;
  if (!ORG_WIDE.has(principal.role)) {
    throw new PermissionDeniedError(`a ${principal.role} may act only on its own subaccount`);
  }
  return requested;
}

export function requireManager(principal: UserPrincipal, what: string): void {
  if (!ORG_WIDE.has(principal.role)) throw new PermissionDeniedError(`only an administrador or gerente may ${what}`);
}
