export * from './principal';
export { bearerToken, signToken, verifyToken } from './token';
export { requireManager, targetSubaccount } from './tenant-scope';
