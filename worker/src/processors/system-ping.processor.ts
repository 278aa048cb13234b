import { logger } from '../../../backend/src/platform/logger';
import type { Processor } from '../processor';

export const systemPing: Processor<'system.ping'> = async (payload) => {
  logger.info('ping processed', { note: payload.note });
  return { pong: true };
};
