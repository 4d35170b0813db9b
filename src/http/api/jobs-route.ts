/**
 * /api/jobs: jobs by state and one job with its attempts (agents and ops); replay, bulk replay and
 * abandon (ops, with a reason, audited). Thin: parse, call src/ops, answer.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { CATALOG_ITEM_KEYS } from '../../items/definitions';
import { ValidationError } from '../../errors';
import type { OpsDeps } from '../../ops/deps';
import { abandonJob, replayJob, replayJobs } from '../../ops/job-actions';
import { findJob, isQueueName, jobDetailView, JOB_STATES, listJobs, QUEUE_ORDER } from '../../ops/jobs';
import { limitParam, parseBody, parseQuery, pathParam, reasonBody, reasonField, TENANT_ID } from './params';
import { actorOf, requireOps } from '../auth/middleware';

const queueName = z
  .enum(QUEUE_ORDER as [string, ...string[]])
  .transform((q) => q as (typeof QUEUE_ORDER)[number]);

const listQuery = z
  .object({
    state: z.enum(JOB_STATES as [string, ...string[]], {
      error: `is required: one of ${JOB_STATES.join(', ')}`,
    }),
    queue: queueName.optional(),
    limit: limitParam(200, 50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

const bulkBody = z
  .object({
    reason: reasonField,
    limit: z
      .number({ error: 'is required: how many jobs at most (1-500)' })
      .int()
      .min(1)
      .max(500, 'must be at most 500'),
    dryRun: z.boolean().default(false),
    filter: z
      .object({
        queue: queueName.optional(),
        item: z.enum(CATALOG_ITEM_KEYS).optional(),
        tenant: z.string().regex(TENANT_ID, 'must be a tenant id from the configuration').optional(),
        failedSince: z.number().int().min(0).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export function jobsRouter(ops: OpsDeps): Router {
  const router = express.Router();

  router.get('/jobs', async (req, res) => {
    const query = parseQuery(listQuery, req.query);
    res.json(
      await listJobs(ops, {
        state: query.state as (typeof JOB_STATES)[number],
        queue: query.queue,
        limit: query.limit,
        cursor: query.cursor,
      }),
    );
  });

  router.post('/jobs/replay', requireOps(), async (req, res) => {
    const body = parseBody(bulkBody, req.body);
    const result = await replayJobs(ops, actorOf(res), body);
    res.status(result.dryRun ? 200 : 202).json(result);
  });

  router.get('/jobs/:queue/:id', async (req, res) => {
    const queue = pathParam(req.params, 'queue');
    if (!isQueueName(queue)) {
      throw new ValidationError(
        'Unknown queue',
        [{ path: 'queue', message: `must be one of ${QUEUE_ORDER.join(', ')}` }],
        'invalid_query',
        400,
      );
    }
    res.json(await jobDetailView(ops, await findJob(ops, pathParam(req.params, 'id'), queue)));
  });

  router.get('/jobs/:id', async (req, res) => {
    res.json(await jobDetailView(ops, await findJob(ops, pathParam(req.params, 'id'))));
  });

  router.post('/jobs/:id/replay', requireOps(), async (req, res) => {
    const { reason } = parseBody(reasonBody, req.body);
    res.status(202).json(await replayJob(ops, actorOf(res), pathParam(req.params, 'id'), reason));
  });

  router.post('/jobs/:id/abandon', requireOps(), async (req, res) => {
    const { reason } = parseBody(reasonBody, req.body);
    res.status(202).json(await abandonJob(ops, actorOf(res), pathParam(req.params, 'id'), reason));
  });

  return router;
}
