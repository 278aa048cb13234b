import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { runWithContext } from '../../platform/context';

const ID_RE = /^[A-Za-z0-9._:-]{1,100}$/;

// Every request gets an id (ours, or the caller's X-Request-Id when well-formed), echoed back
// and carried to every log line written while it is served.
export const requestContext: RequestHandler = (req, res, next) => {
  const given = req.get('x-request-id');
  const requestId = given && ID_RE.test(given) ? given : crypto.randomUUID();
  res.setHeader('X-Request-Id', requestId);
  (req as { requestId?: string }).requestId = requestId;
  runWithContext({ requestId }, () => next());
};
