/** /api/audit: the audit trail of ops actions, newest first (agents and ops may read it). */
import express, { type Router } from 'express';
import { z } from 'zod';
import type { OpsDeps } from '../../ops/deps';
import { instantParam, limitParam, parseQuery } from './params';

const auditQuery = z
  .object({
    since: instantParam.optional(),
    actor: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a token name from API_TOKENS')
      .optional(),
    limit: limitParam(500, 50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export function auditRouter(ops: Pick<OpsDeps, 'audit'>): Router {
  const router = express.Router();
  router.get('/audit', async (req, res) => {
    const query = parseQuery(auditQuery, req.query);
    const page = await ops.audit.list(query);
    res.json(page.nextCursor === undefined ? { items: page.items } : page);
  });
  return router;
}
