export * from './principal';
export { bearerToken, signToken, verifyToken } from './token';
export { isOrgWide, requireManager, targetSubaccount } from './tenant-scope';
