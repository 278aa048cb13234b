import { purgeExpired } from '../../../backend/src/domain/privacy/retention-purge.service';
import type { Processor } from '../processor';

export const retentionPurge: Processor<'privacy.retention-purge'> = (_payload, ctx) => purgeExpired(ctx.deps.db, new Date());
