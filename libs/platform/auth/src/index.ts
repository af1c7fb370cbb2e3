export * from './principal';
export { bearerToken, signToken, verifyToken } from './token';
