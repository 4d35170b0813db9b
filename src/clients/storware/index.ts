export {
  createStorwareClient,
  type ListAllOptions,
  type StorwareClient,
  type StorwareClientOptions,
} from './client';
export { StorwareTransportFailure } from './errors';
export * from './types';
