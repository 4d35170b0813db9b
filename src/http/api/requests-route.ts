/**
 * /api/requests: agents and ops look requests up; ops cancel them. Thin: parse, call src/ops,
 * answer. The shapes are RequestSummaryPage, RequestDetail and CancelResult in the connector spec.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { CATALOG_ITEM_KEYS } from '../../items/definitions';
import { REQUEST_STATES } from '../../ledger';
import type { OpsDeps } from '../../ops/deps';
import { cancelRequest } from '../../ops/request-cancel';
import { listRequests, requestDetail } from '../../ops/request-status';
import { instantParam, limitParam, parseBody, parseQuery, pathParam, reasonBody, TENANT_ID } from './params';
import { actorOf, requireOps } from '../auth/middleware';

const listQuery = z
  .object({
    state: z.enum(REQUEST_STATES).optional(),
    tenant: z.string().regex(TENANT_ID, 'must be a tenant id from the configuration').optional(),
    item: z.enum(CATALOG_ITEM_KEYS).optional(),
    since: instantParam.optional(),
    limit: limitParam(200, 50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export function requestsRouter(ops: OpsDeps): Router {
  const router = express.Router();

  router.get('/requests', async (req, res) => {
    const query = parseQuery(listQuery, req.query);
    res.json(await listRequests(ops, query));
  });

  router.get('/requests/:number', async (req, res) => {
    res.json(await requestDetail(ops, pathParam(req.params, 'number')));
  });

  router.post('/requests/:number/cancel', requireOps(), async (req, res) => {
    const { reason } = parseBody(reasonBody, req.body);
    res.status(202).json(await cancelRequest(ops, actorOf(res), pathParam(req.params, 'number'), reason));
  });

  return router;
}
