// Generated from spec/connector.openapi.yaml by spec/gen-types.mjs. Do not edit; run npm run gen:types.
export interface paths {
  '/api/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The audit trail of ops actions, newest first
     * @description Replays, bulk replays, abandons, cancels and write actions on the queue dashboard: who (the
     *     token's name), when, why, on what, and how it ended. Kept for AUDIT_RETENTION_DAYS (90).
     */
    get: operations['listAudit'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Jobs of the connector's queues in one state, newest first */
    get: operations['listJobs'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/jobs/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One job, in whichever queue holds it, with every attempt's error and its request */
    get: operations['getJob'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/jobs/{id}/abandon': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Give up on a failed request job (audited); closes the ticket incomplete
     * @description Only request jobs (`run-…`) in the failed set. The request ends `failed` with code
     *     `abandoned`; the ticket is closed (state 4) through the outbox with a comment telling the
     *     requester that the service desk will contact them and a work note with the reason and who;
     *     then the job is removed.
     */
    post: operations['abandonJob'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/jobs/{id}/replay': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Run a failed job again (audited); Storware work already done is found, not repeated
     * @description Only jobs in the failed set; they get a fresh set of attempts. A request job resumes from
     *     the ledger: a Storware task it already created is adopted, never created again.
     */
    post: operations['replayJob'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/jobs/{queue}/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One job of one queue */
    get: operations['getJobInQueue'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/jobs/replay': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Replay many failed jobs at once (audited), or list what would be replayed
     * @description Walks the failed sets (the queue in `filter.queue`, else `requests` and `ticket-updates`),
     *     newest first, and replays up to `limit` jobs matching the filter. With `dryRun` nothing is
     *     replayed or audited; the answer lists what would be. Jobs of requests that have finished are
     *     skipped.
     */
    post: operations['replayJobs'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/requests': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Requests, most recently updated first */
    get: operations['listRequests'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/requests/{number}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One request, with its timeline, approval, window, Storware tasks and ticket updates
     * @description Looked up by RITM number, by the RITM's sys_id or by the connector's request id (the
     *     ticket's `correlation_id`). `lastError.explanation` says in plain words what went wrong and
     *     what happens next.
     */
    get: operations['getRequest'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/requests/{number}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Cancel a request that has not finished (audited)
     * @description Marks the request as cancelled and wakes its job, which stops any running Storware task and
     *     closes the ticket incomplete. The reason goes to the audit trail, the request's timeline and
     *     the ticket's work notes.
     */
    post: operations['cancelRequest'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/healthz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness */
    get: operations['getHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Prometheus metrics (text exposition format)
     * @description Any token (agent or ops); without one only when the operator set `METRICS_PUBLIC=true`
     *     (an internal scrape network).
     */
    get: operations['getMetrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/openapi.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This document, as JSON */
    get: operations['getOpenApi'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ops/queues': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Queue dashboard (bull-board)
     * @description Ops tokens get full access; agent tokens a read-only board, and every write request they
     *     send is refused with 403 before it reaches the board. Write actions by ops are recorded in
     *     the audit trail (action `dashboard`). Signed in like the status page.
     */
    get: operations['getQueueDashboard'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/readyz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readiness (Redis reachable, configuration valid) */
    get: operations['getReadiness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Status page for agents (HTML, works without JavaScript)
     * @description Search by ticket number, recent requests with state and progress. Signed in with a bearer
     *     token or the session cookie set by `/status/login`; a browser without either is sent to
     *     the login form.
     */
    get: operations['getStatusPage'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/status/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The sign-in form */
    get: operations['getStatusLogin'];
    put?: never;
    /**
     * Sign in with an API token; sets the session cookie
     * @description The cookie (`sic_session`, HttpOnly, SameSite=Strict, Secure in production) holds an
     *     opaque random session id; Redis keeps only its SHA-256 with the token's name and role, for
     *     OPS_SESSION_TTL_MINUTES. The token itself never leaves the form post.
     */
    post: operations['postStatusLogin'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/status/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sign out (ends the session in Redis and clears the cookie) */
    post: operations['postStatusLogout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/status/requests/{number}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One request's page (HTML) */
    get: operations['getStatusPageRequest'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/webhooks/servicenow': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Receive a catalog request event from ServiceNow
     * @description Standard Webhooks 1.0: `webhook-signature` is `v1,<base64 HMAC-SHA256 of
     *     "<webhook-id>.<webhook-timestamp>.<raw body>">` with a `whsec_…` secret; several
     *     space-separated signatures are accepted (secret rotation), and several secrets are configured
     *     at once. `webhook-timestamp` must be within 5 minutes (configurable) of the receiver's clock.
     *
     *     A 2xx means the request is durably queued. Deliveries are de-duplicated on `webhook-id` and on
     *     `sys_id` + `event` + `sys_updated_on` for several days: a copy is answered 200 with the
     *     original `requestId`. Anything else than 2xx should be retried by the sender, honouring
     *     `Retry-After` on 503.
     *
     *     Basic mode (optional, off by default, weaker; see the README): a request without
     *     `webhook-signature` is accepted with `Authorization: Basic …` when the operator has turned it on.
     */
    post: operations['receiveServiceNowWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /**
     * @description The request's state; `closed` when it finished so long ago that its record is gone.
     * @enum {string}
     */
    AnswerStatus:
      | 'received'
      | 'queued'
      | 'waiting_approval'
      | 'waiting_window'
      | 'waiting_inventory'
      | 'running'
      | 'succeeded'
      | 'failed'
      | 'rejected'
      | 'cancelled'
      | 'expired'
      | 'closed';
    AuditPage: {
      items: components['schemas']['AuditRecord'][];
      nextCursor?: string;
    };
    AuditRecord: {
      /** @enum {string} */
      action: 'replay' | 'bulk-replay' | 'abandon' | 'cancel' | 'dashboard';
      /** @description Name of the token that acted. */
      actor: string;
      at: number;
      /** @description Redis stream id. */
      id: string;
      message: string;
      /** @enum {string} */
      outcome: 'done' | 'refused' | 'failed';
      reason: string;
      /** @enum {string} */
      role: 'agent' | 'ops';
      target: components['schemas']['AuditTarget'];
    };
    AuditTarget: {
      count?: number;
      jobId?: string;
      jobIds?: string[];
      method?: string;
      path?: string;
      queue?: string;
      requestId?: string;
      ticket?: string;
    };
    BulkReplayBody: {
      /** @default false */
      dryRun: boolean;
      filter?: components['schemas']['BulkReplayFilter'];
      limit: number;
      reason: string;
    };
    BulkReplayFilter: {
      /** @description Only jobs that failed at or after this epoch ms. */
      failedSince?: number;
      item?: components['schemas']['CatalogItemKey'];
      queue?: components['schemas']['QueueName'];
      tenant?: string;
    };
    BulkReplayItem: {
      failedReason?: string;
      jobId: string;
      queue: components['schemas']['QueueName'];
      requestId?: string;
      /** @description Why it was not replayed. */
      skipped?: string;
      ticket?: string;
    };
    BulkReplayResult: {
      auditId?: string;
      dryRun: boolean;
      matched: number;
      /** @description Replayed jobs (with dryRun, the ones that would be). */
      replayed: components['schemas']['BulkReplayItem'][];
      skipped: components['schemas']['BulkReplayItem'][];
    };
    CancelResult: {
      /** @enum {string} */
      action: 'cancel';
      auditId: string;
      /** @enum {string} */
      job: 'enqueued' | 'woken' | 'retried' | 'already_scheduled';
      message: string;
      requestId: string;
      ticket: string;
    };
    /** @enum {string} */
    CatalogItemKey: 'storware_backup_now' | 'storware_restore_point' | 'storware_protect_vm';
    ErrorBody: {
      error: {
        /** @description Stable, machine-readable. */
        code: string;
        details: components['schemas']['ErrorDetail'][];
        message: string;
      };
    };
    ErrorDetail: {
      message: string;
      /** @description Dotted path of the field at fault (`variables.instance_id`), when there is one. */
      path?: string;
    } & {
      [key: string]: unknown;
    };
    Health: {
      /** @enum {string} */
      status: 'ok';
    };
    JobActionResult: {
      /** @enum {string} */
      action: 'replay' | 'abandon';
      auditId: string;
      jobId: string;
      message: string;
      queue: components['schemas']['QueueName'];
      requestId?: string;
      ticket?: string;
    };
    JobAttempt: {
      attempt: number;
      /** @description The error message of that attempt. */
      error: string;
      stack?: string;
    };
    JobDetail: {
      /** @description The error of every failed attempt BullMQ kept, oldest first. */
      attempts: components['schemas']['JobAttempt'][];
      attemptsMade: number;
      createdAt: number;
      failedReason?: string;
      finishedAt?: number;
      /** @description The request's timeline lines about attempts, retries and ops actions, with their times. */
      history: components['schemas']['TimelineEvent'][];
      id: string;
      maxAttempts: number;
      name: string;
      processedAt?: number;
      queue: components['schemas']['QueueName'];
      request?: components['schemas']['JobRequest'];
      requestId?: string;
      runsAt?: number;
      state: string;
      ticket?: string;
    };
    JobPage: {
      items: components['schemas']['JobSummary'][];
      nextCursor?: string;
    };
    JobRequest: {
      item: components['schemas']['CatalogItemKey'];
      lastError?: components['schemas']['RequestProblem'];
      requestId: string;
      state: components['schemas']['RequestState'];
      stateLabel: string;
      tenant?: string;
      ticket: string;
    };
    /** @enum {string} */
    JobState: 'waiting' | 'active' | 'delayed' | 'completed' | 'failed';
    JobSummary: {
      attemptsMade: number;
      createdAt: number;
      failedReason?: string;
      finishedAt?: number;
      id: string;
      maxAttempts: number;
      /** @description Job name (`request.backup-now`, `ticket.update`, …). */
      name: string;
      processedAt?: number;
      queue: components['schemas']['QueueName'];
      requestId?: string;
      /** @description When a delayed job is due. */
      runsAt?: number;
      /** @description BullMQ state (`failed`, `delayed`, `active`, `waiting`, `completed`, …). */
      state: string;
      ticket?: string;
    };
    PendingTicketUpdate: {
      closes: boolean;
      comment?: string;
      createdAt: number;
      id: string;
      /** @enum {string} */
      kind: 'update' | 'progress';
      /** @enum {integer} */
      state?: 2 | 3 | 4;
      workNote?: string;
    };
    /** @enum {string} */
    QueueName: 'requests' | 'ticket-updates' | 'maintenance';
    Readiness: {
      checks: {
        error?: string;
        name: string;
        ok: boolean;
      }[];
      /** @enum {string} */
      status: 'ready' | 'not_ready';
    };
    ReasonBody: {
      /** @description Why; recorded in the audit trail, the request's timeline and the ticket's work notes. */
      reason: string;
    };
    RequestApproval: {
      /** @description Names of the approvers that counted. */
      approvers?: string;
      needed?: number;
      /** @description Hash of exactly what was approved. */
      reference?: string;
      requestedAt?: number;
      /** @description `pending`, `approved`, … */
      status: string;
    };
    RequestDetail: {
      approval?: components['schemas']['RequestApproval'];
      cancelRequested: boolean;
      createdAt: number;
      item: components['schemas']['CatalogItemKey'];
      itemLabel: string;
      jobs: components['schemas']['RequestJob'][];
      lastError?: components['schemas']['RequestProblem'];
      /** @description Overall progress of the Storware work, when there is some. */
      progress?: number;
      requestId: string;
      /** @description Evidence of the outcome (backup point, sizes, durations). */
      result?: {
        [key: string]: string | number | boolean;
      };
      ritmSysId: string;
      state: components['schemas']['RequestState'];
      stateLabel: string;
      step: string;
      tasks: components['schemas']['RequestTask'][];
      tenant?: string;
      ticket: string;
      ticketState?: string;
      ticketUpdates: {
        /** @description Updates queued in the outbox, in the order they will be written. */
        pending: components['schemas']['PendingTicketUpdate'][];
        /** @description Ticket state changes ServiceNow accepted (timeline events `ticket.updated`). */
        sent: components['schemas']['TimelineEvent'][];
      };
      /** @description Oldest first; the most recent 200 events. */
      timeline: components['schemas']['TimelineEvent'][];
      updatedAt: number;
      window?: components['schemas']['RequestWindow'];
    };
    RequestJob: {
      attemptsMade: number;
      failedReason?: string;
      id: string;
      queue: components['schemas']['QueueName'];
      /** @description BullMQ state, or `missing` when the job is gone. */
      state: string;
    };
    RequestProblem: {
      at: number;
      /** @description Stable code (`storware_unavailable`, `abandoned`, …). */
      code: string;
      /** @description The same in plain words, with what happens next. */
      explanation: string;
      /** @description What was recorded, for agents (no secrets, no stack). */
      message: string;
      retryable: boolean;
    };
    /** @enum {string} */
    RequestState:
      | 'received'
      | 'queued'
      | 'waiting_approval'
      | 'waiting_window'
      | 'waiting_inventory'
      | 'running'
      | 'succeeded'
      | 'failed'
      | 'rejected'
      | 'cancelled'
      | 'expired';
    RequestSummary: {
      cancelRequested: boolean;
      createdAt: number;
      item: components['schemas']['CatalogItemKey'];
      /** @description `Backup`, `Restore` or `Protection`. */
      itemLabel: string;
      lastError?: components['schemas']['RequestProblem'];
      requestId: string;
      ritmSysId: string;
      state: components['schemas']['RequestState'];
      /** @description The state in words. */
      stateLabel: string;
      step: string;
      tenant?: string;
      /** @description The RITM number. */
      ticket: string;
      /** @description ServiceNow state the connector last wrote (2, 3, 4). */
      ticketState?: string;
      updatedAt: number;
    };
    RequestSummaryPage: {
      items: components['schemas']['RequestSummary'][];
      nextCursor?: string;
    };
    RequestTask: {
      createdAt: number;
      endedAt?: number;
      /** @description Storware task GUID. */
      guid: string;
      message?: string;
      progress?: number;
      state: string;
      step: string;
      type: string;
      updatedAt?: number;
    };
    RequestWindow: {
      /** @description When a request waiting for its window wakes up. */
      startsAt?: number;
      /** @description Storware must start the task before this. */
      windowEnd?: number;
      windowStart?: number;
    };
    TimelineEvent: {
      at: number;
      message: string;
      type: string;
    };
    WebhookAnswer: {
      /** @description The connector's id for the request; also the ticket's correlation_id. */
      requestId: string;
      status: components['schemas']['AnswerStatus'];
      /** @description The RITM number. */
      ticket: string;
    };
    WebhookBody: {
      cat_item: components['schemas']['CatalogItemKey'];
      event: components['schemas']['WebhookEvent'];
      number: string;
      /** @description sys_id of the sc_req_item. */
      sys_id: string;
      /** @description The RITM's sys_updated_on (UTC), part of the event's identity for de-duplication. */
      sys_updated_on: string;
      /**
       * @description Variable answers as strings (a convenience copy; the connector re-reads them from
       *     ServiceNow). Checked against the item's form in catalog-items/<item>.yaml; unknown
       *     variables are refused. Not checked for `ritm.cancelled`.
       */
      variables: {
        [key: string]: string;
      };
    };
    /** @enum {string} */
    WebhookEvent: 'ritm.submitted' | 'ritm.updated' | 'ritm.cancelled';
  };
  responses: {
    /** @description A query or path parameter is not valid (`invalid_query`); `details[].path` names it. */
    BadRequest: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description The job or request is not in a state that allows this (`job_not_failed`, `request_finished`, …). */
    Conflict: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description The token's role may not do this (`forbidden`): agents read, only ops act. */
    Forbidden: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /**
     * @description Refused by Node's HTTP server before any route runs, so possible on every path; listed where
     *     an operation has no client error of its own. 400: not valid HTTP/1.1. 408: the request was
     *     not complete within 30 s (its headers within 15 s). 431: the headers are larger than 16 KiB.
     *     No body; the connection is closed.
     */
    HttpRefused: {
      headers: {
        [name: string]: unknown;
      };
      content?: never;
    };
    /**
     * @description An unexpected failure (500 `internal_error`), such as Redis not answering while a session is
     *     stored or ended. Logged with its stack; the answer never carries the cause's message.
     */
    InternalError: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /**
     * @description A browser page was sent an `Authorization` header whose bearer token is not valid
     *     (`invalid_token`, with `WWW-Authenticate: Bearer`). Without any credentials these pages
     *     redirect to the login form (303) instead.
     */
    InvalidBearerToken: {
      headers: {
        'WWW-Authenticate'?: string;
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description No such request (`request_not_found`) or job (`job_not_found`). */
    NotFound: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description `rate_limited`: this token made more than RATE_LIMIT_API_PER_MINUTE calls in the sliding minute. */
    RateLimited: {
      headers: {
        /** @description Seconds to wait before retrying. */
        'Retry-After'?: number;
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description Missing or unknown bearer token (`unauthenticated`, `invalid_token`); sent with `WWW-Authenticate: Bearer`. */
    Unauthenticated: {
      headers: {
        'WWW-Authenticate'?: string;
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description The body is not valid (`invalid_body`): the reason is required, 1 to 500 characters. */
    Unprocessable: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
  };
  parameters: {
    /** @description BullMQ job id: `run-<requestId>` for a request, `tu-<requestId>-<seq>` for a ticket update. */
    JobId: string;
    /** @description RITM number, the RITM's sys_id, or the connector's request id. */
    RequestRef: string;
  };
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  listAudit: {
    parameters: {
      query?: {
        /** @description Only actions by this token name. */
        actor?: string;
        cursor?: string;
        limit?: number;
        /** @description Only records at or after this instant (epoch ms or an ISO 8601 date-time). */
        since?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditPage'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      429: components['responses']['RateLimited'];
    };
  };
  listJobs: {
    parameters: {
      query: {
        cursor?: string;
        limit?: number;
        /** @description One queue; all of them when absent. */
        queue?: components['schemas']['QueueName'];
        state: components['schemas']['JobState'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobPage'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      429: components['responses']['RateLimited'];
    };
  };
  getJob: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description BullMQ job id: `run-<requestId>` for a request, `tu-<requestId>-<seq>` for a ticket update. */
        id: components['parameters']['JobId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The job. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobDetail'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      404: components['responses']['NotFound'];
      429: components['responses']['RateLimited'];
    };
  };
  abandonJob: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description BullMQ job id: `run-<requestId>` for a request, `tu-<requestId>-<seq>` for a ticket update. */
        id: components['parameters']['JobId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ReasonBody'];
      };
    };
    responses: {
      /** @description Abandoned; the closing ticket update is queued. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobActionResult'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      422: components['responses']['Unprocessable'];
      429: components['responses']['RateLimited'];
    };
  };
  replayJob: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description BullMQ job id: `run-<requestId>` for a request, `tu-<requestId>-<seq>` for a ticket update. */
        id: components['parameters']['JobId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ReasonBody'];
      };
    };
    responses: {
      /** @description Replay queued. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobActionResult'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      422: components['responses']['Unprocessable'];
      429: components['responses']['RateLimited'];
    };
  };
  getJobInQueue: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description BullMQ job id: `run-<requestId>` for a request, `tu-<requestId>-<seq>` for a ticket update. */
        id: components['parameters']['JobId'];
        queue: components['schemas']['QueueName'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The job. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobDetail'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      404: components['responses']['NotFound'];
      429: components['responses']['RateLimited'];
    };
  };
  replayJobs: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['BulkReplayBody'];
      };
    };
    responses: {
      /** @description Dry run; nothing was replayed. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BulkReplayResult'];
        };
      };
      /** @description The matching jobs were replayed. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BulkReplayResult'];
        };
      };
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      422: components['responses']['Unprocessable'];
      429: components['responses']['RateLimited'];
    };
  };
  listRequests: {
    parameters: {
      query?: {
        /** @description `nextCursor` of the previous page. */
        cursor?: string;
        item?: components['schemas']['CatalogItemKey'];
        limit?: number;
        /** @description Only requests updated at or after this instant (epoch ms or an ISO 8601 date-time). */
        since?: string;
        state?: components['schemas']['RequestState'];
        tenant?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RequestSummaryPage'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      429: components['responses']['RateLimited'];
    };
  };
  getRequest: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description RITM number, the RITM's sys_id, or the connector's request id. */
        number: components['parameters']['RequestRef'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The request. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RequestDetail'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      404: components['responses']['NotFound'];
      429: components['responses']['RateLimited'];
    };
  };
  cancelRequest: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description RITM number, the RITM's sys_id, or the connector's request id. */
        number: components['parameters']['RequestRef'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ReasonBody'];
      };
    };
    responses: {
      /** @description Cancellation requested; the job was woken to act on it. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CancelResult'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      422: components['responses']['Unprocessable'];
      429: components['responses']['RateLimited'];
    };
  };
  getHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      '4XX': components['responses']['HttpRefused'];
      /** @description The process is running. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Health'];
        };
      };
    };
  };
  getMetrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Metrics. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': string;
        };
      };
      401: components['responses']['Unauthenticated'];
    };
  };
  getOpenApi: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      '4XX': components['responses']['HttpRefused'];
      /** @description The OpenAPI 3.0.3 document. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
    };
  };
  getQueueDashboard: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The dashboard. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description To the login form. */
      303: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      401: components['responses']['InvalidBearerToken'];
    };
  };
  getReadiness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      '4XX': components['responses']['HttpRefused'];
      /** @description Ready to take traffic. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Readiness'];
        };
      };
      /** @description A dependency is not usable; `checks` says which. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Readiness'];
        };
      };
    };
  };
  getStatusPage: {
    parameters: {
      query?: {
        cursor?: string;
        /** @description A RITM number, sys_id or request id; found requests redirect to their page. */
        q?: string;
        state?: components['schemas']['RequestState'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The page. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description To the request's page, or to the login form. */
      303: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description `q` is not a RITM number, sys_id or request id; the list page with a notice saying so. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      401: components['responses']['InvalidBearerToken'];
      /** @description No request matches `q`; the list page with a notice saying so. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      429: components['responses']['RateLimited'];
    };
  };
  getStatusLogin: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      '4XX': components['responses']['HttpRefused'];
      /** @description The form. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
    };
  };
  postStatusLogin: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': {
          next?: string;
          token: string;
        };
      };
    };
    responses: {
      /** @description Signed in; back to the page asked for. */
      303: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Unknown token; the form again, with a message. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description A cross-site form post (Origin does not match). */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The form is larger than 4 KiB (`payload_too_large`). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The form is not UTF-8 or Latin-1, or has an unknown Content-Encoding (`unsupported_encoding`). */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      /**
       * @description More than RATE_LIMIT_LOGIN_PER_MINUTE sign-in attempts from this address in the sliding
       *     minute; the form again, saying when to try again. Sent with Retry-After.
       */
      429: {
        headers: {
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      default: components['responses']['InternalError'];
    };
  };
  postStatusLogout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      '4XX': components['responses']['HttpRefused'];
      /** @description To the login form. */
      303: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      default: components['responses']['InternalError'];
    };
  };
  getStatusPageRequest: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description RITM number, the RITM's sys_id, or the connector's request id. */
        number: components['parameters']['RequestRef'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The page. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description To the login form. */
      303: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      401: components['responses']['InvalidBearerToken'];
      /** @description No such request (an HTML page saying so). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      429: components['responses']['RateLimited'];
    };
  };
  receiveServiceNowWebhook: {
    parameters: {
      query?: never;
      header?: {
        /** @description Unique id of this delivery, reused by the sender's retries. Required unless Basic mode is used. */
        'webhook-id'?: string;
        /** @description Space-separated `v1,<base64>` signatures. Required unless Basic mode is used. */
        'webhook-signature'?: string;
        /** @description Unix seconds when the delivery was signed. Required unless Basic mode is used. */
        'webhook-timestamp'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "event": "ritm.submitted",
         *       "sys_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
         *       "number": "RITM0010001",
         *       "cat_item": "storware_backup_now",
         *       "sys_updated_on": "2026-11-28 21:03:11",
         *       "variables": {
         *         "instance_id": "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
         *         "backup_type": "INCREMENTAL",
         *         "priority": "50"
         *       }
         *     }
         */
        'application/json': components['schemas']['WebhookBody'];
      };
    };
    responses: {
      /** @description A copy of a delivery already accepted, or an event for a request that has finished. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookAnswer'];
        };
      };
      /** @description Accepted and durably queued (or, for an update, the waiting request woken). */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookAnswer'];
        };
      };
      /** @description The body is not JSON (`malformed_json`) or the client aborted. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      /**
       * @description Not authenticated: `missing_signature`, `invalid_timestamp`, `timestamp_out_of_tolerance`,
       *     `invalid_signature`, or `invalid_credentials` (Basic mode).
       */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The body is larger than the configured limit (`payload_too_large`, 64 KiB by default). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Not `application/json` with UTF-8 (`unsupported_media_type`, `unsupported_encoding`). */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      /**
       * @description The body does not match the contract: `invalid_body`, `unknown_catalog_item`, or
       *     `invalid_variables`. `details` lists every problem with its field path
       *     (`variables.instance_id`, `cat_item`, an unknown field's name).
       */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      /**
       * @description `rate_limited`: this sender address made more than RATE_LIMIT_WEBHOOK_PER_MINUTE deliveries
       *     in the sliding minute. Nothing was read or recorded; send it again after Retry-After.
       */
      429: {
        headers: {
          /** @description Seconds to wait before retrying. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The queue cannot take the request now (Redis unreachable); nothing was recorded as done. */
      503: {
        headers: {
          /** @description Seconds to wait before retrying. */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
}
