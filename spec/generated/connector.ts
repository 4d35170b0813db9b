// Generated from spec/connector.openapi.yaml by spec/gen-types.mjs. Do not edit; run npm run gen:types.
export interface paths {
  '/api/jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Jobs of the connector's queues by state */
    get: operations['listJobs'];
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
    /** Give up on a failed job (audited); closes the ticket incomplete with the reason */
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
    /** Run a failed job again (audited); Storware work already done is found, not repeated */
    post: operations['replayJob'];
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
    /** One request by RITM number, with its timeline and Storware tasks */
    get: operations['getRequestByNumber'];
    put?: never;
    post?: never;
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
    /** Prometheus metrics (text exposition format) */
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
    JobActionBody: {
      /** @description Why; recorded in the audit trail and on the ticket's work notes. */
      reason: string;
    };
    JobActionResult: {
      /** @enum {string} */
      action: 'replay' | 'abandon';
      auditId: string;
      jobId: string;
    };
    JobPage: {
      items: components['schemas']['JobSummary'][];
      nextCursor?: string;
    };
    /** @enum {string} */
    JobState: 'waiting' | 'active' | 'delayed' | 'completed' | 'failed';
    JobSummary: {
      attemptsMade: number;
      createdAt: number;
      failedReason?: string;
      finishedAt?: number;
      id: string;
      /** @description Job name (`request.backup-now`, `ticket.update`, …). */
      name: string;
      processedAt?: number;
      queue: components['schemas']['QueueName'];
      requestId?: string;
      state: components['schemas']['JobState'];
      ticket?: string;
    };
    LedgerEntry: {
      approval?: {
        [key: string]: unknown;
      };
      cancelRequested: boolean;
      createdAt: number;
      item: components['schemas']['CatalogItemKey'];
      jobIds: string[];
      lastError?: components['schemas']['LedgerError'];
      number: string;
      requestId: string;
      result?: {
        [key: string]: unknown;
      };
      ritmSysId: string;
      state: components['schemas']['RequestState'];
      step: string;
      /** @description Step → the one Storware task of that step. */
      tasks: {
        [key: string]: components['schemas']['LedgerTask'];
      };
      tenant?: string;
      ticketState?: string;
      /** @description Oldest first; the most recent 200 events. */
      timeline: components['schemas']['LedgerEvent'][];
      updatedAt: number;
      window?: {
        [key: string]: unknown;
      };
    };
    LedgerError: {
      at: number;
      code: string;
      message: string;
      retryable: boolean;
    };
    LedgerEvent: {
      /** @description Epoch ms. */
      at: number;
      /** @description Small, secret-free facts (ids, states). */
      data?: {
        [key: string]: unknown;
      };
      message: string;
      /** @description Dotted event type (`request.received`, `task.recorded`, …). */
      type: string;
    };
    LedgerSummary: {
      approval?: {
        [key: string]: unknown;
      };
      cancelRequested: boolean;
      createdAt: number;
      item: components['schemas']['CatalogItemKey'];
      jobIds: string[];
      lastError?: components['schemas']['LedgerError'];
      number: string;
      requestId: string;
      result?: {
        [key: string]: unknown;
      };
      ritmSysId: string;
      state: components['schemas']['RequestState'];
      step: string;
      tenant?: string;
      /** @description ServiceNow state the connector last wrote (2, 3, 4). */
      ticketState?: string;
      updatedAt: number;
      window?: {
        [key: string]: unknown;
      };
    };
    LedgerTask: {
      createdAt: number;
      endedAt?: number;
      /** @description Storware task GUID. */
      guid: string;
      message?: string;
      progress?: number;
      /** @description Storware task state (`RUNNING`, `FINISHED`, `FAILED`, …). */
      state: string;
      /** @description Storware task type (`EXPORT`, `RESTORE_AND_IMPORT`, …). */
      type: string;
      updatedAt?: number;
    } & {
      [key: string]: string | number | boolean;
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
    RequestPage: {
      items: components['schemas']['LedgerSummary'][];
      nextCursor?: string;
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
    /** @description A query parameter is not valid. */
    BadRequest: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description The job is not in a state that allows this (e.g. it is not failed). */
    Conflict: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description The token's role may not do this. */
    Forbidden: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description No such request or job. */
    NotFound: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description Missing or unknown bearer token. */
    Unauthenticated: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description The body is not valid (the reason is required). */
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
    JobId: string;
  };
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  listJobs: {
    parameters: {
      query: {
        cursor?: string;
        limit?: number;
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
      403: components['responses']['Forbidden'];
    };
  };
  abandonJob: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: components['parameters']['JobId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['JobActionBody'];
      };
    };
    responses: {
      /** @description Abandoned; the ticket update is queued. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobActionResult'];
        };
      };
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      422: components['responses']['Unprocessable'];
    };
  };
  replayJob: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: components['parameters']['JobId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['JobActionBody'];
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
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      422: components['responses']['Unprocessable'];
    };
  };
  listRequests: {
    parameters: {
      query?: {
        /** @description `nextCursor` of the previous page. */
        cursor?: string;
        item?: components['schemas']['CatalogItemKey'];
        limit?: number;
        /** @description Only requests updated at or after this epoch ms. */
        since?: number;
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
          'application/json': components['schemas']['RequestPage'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
    };
  };
  getRequestByNumber: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        number: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The ledger entry. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LedgerEntry'];
        };
      };
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
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
      403: components['responses']['Forbidden'];
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
  getReadiness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
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
