/** Roles from the seed's permission table (002_…): organisation-level roles of a customer. */
export const ROLES = [
  'administrador',
  'analista',
  'gerente',
  'reseller',
  'usuario',
  'carregador_de_lotes',
] as const;
export type Role = (typeof ROLES)[number];

/** A person (or API key) acting for one tenant. */
export interface UserPrincipal {
  kind: 'user';
  accountId: string;
  subaccountId: string;
  userId: string;
  role: Role;
}

/** Another Sabiá service acting on a tenant's behalf (it names the tenant in the request). */
export interface ServicePrincipal {
  kind: 'service';
  service: string;
}

export type Principal = UserPrincipal | ServicePrincipal;

export { UnauthenticatedError } from '@sabia/errors';
