// Generated from spec/servicenow.openapi.yaml by spec/gen-types.mjs. Do not edit; run npm run gen:types.
export interface paths {
  '/api/now/table/{table}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Tables the connector and the simulator use (any other answers 400 "Invalid table"). */
        table: components['parameters']['Table'];
      };
      cookie?: never;
    };
    /** Query records of a table */
    get: operations['listRecords'];
    put?: never;
    /** Insert one record */
    post: operations['createRecord'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/now/table/{table}/{sys_id}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        sys_id: components['parameters']['SysId'];
        /** @description Tables the connector and the simulator use (any other answers 400 "Invalid table"). */
        table: components['parameters']['Table'];
      };
      cookie?: never;
    };
    /** Read one record */
    get: operations['getRecord'];
    /** Update one record (same semantics as PATCH in the Table API) */
    put: operations['putRecord'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Update the given fields of one record */
    patch: operations['patchRecord'];
    trace?: never;
  };
  '/api/now/table/core_company/{sys_id}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        sys_id: components['parameters']['SysId'];
      };
      cookie?: never;
    };
    /** A company (the tenant key in the connector's configuration) */
    get: operations['getCompany'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/now/table/sc_item_option_mtom': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Variable answers of a RITM, through the M2M table with dot-walked fields (reference §2) */
    get: operations['listRequestItemVariables'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/now/table/sc_req_item': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Query requested items (RITMs); the reconciler pages by sys_updated_on */
    get: operations['listRequestItems'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/now/table/sc_req_item/{sys_id}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        sys_id: components['parameters']['SysId'];
      };
      cookie?: never;
    };
    /** Read one RITM */
    get: operations['getRequestItem'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Ticket updates (state, work notes, comments, correlation, close notes) */
    patch: operations['updateRequestItem'];
    trace?: never;
  };
  '/api/now/table/sys_journal_field': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Journal history (`element_id=<sys_id>^element=work_notes^ORDERBYsys_created_on`, reference §5) */
    get: operations['listJournalEntries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/now/table/sys_user/{sys_id}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        sys_id: components['parameters']['SysId'];
      };
      cookie?: never;
    };
    /** A user and the company that scopes their tenant (reference §6) */
    get: operations['getUser'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/now/table/sysapproval_approver': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Approver rows of a task (`sysapproval=<ritm sys_id>`) */
    get: operations['listApprovals'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/oauth_token.do': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** OAuth 2 token (password, refresh_token and client_credentials grants; form-encoded only) */
    post: operations['requestToken'];
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
    /** @enum {string} */
    BooleanString: 'true' | 'false';
    CoreCompany: {
      name?: string;
      sys_id?: components['schemas']['SysId'];
    };
    /** @description UTC, `YYYY-MM-DD HH:MM:SS`; `""` when empty. */
    DateTime: string;
    /** @description A reference with `sysparm_display_value=true`: `display_value` and `link`, no `value`. */
    DisplayReference: {
      display_value: string;
      link?: string;
    };
    DisplayValueAll: {
      display_value: string;
      display_value_internal?: string;
      link?: string;
      value: string;
    };
    ErrorEnvelope: {
      error: {
        detail?: string | null;
        message: string;
      };
      /** @enum {string} */
      status: 'failure';
    };
    /** @description Any field in any display mode. */
    FieldValue:
      | string
      | components['schemas']['Reference']
      | components['schemas']['DisplayReference']
      | components['schemas']['DisplayValueAll'];
    /** @description A reference in raw mode (`sysparm_display_value=false`): exactly `link` and `value`. */
    Reference: {
      /** @description <instance>/api/now/table/<table>/<sys_id> */
      link: string;
      value: components['schemas']['SysId'];
    };
    /** @description A reference in raw mode; `""` when empty (a plain sys_id string with sysparm_exclude_reference_link=true). */
    ReferenceField: components['schemas']['Reference'] | string;
    /**
     * @description One answer, asked for with
     *     `sysparm_fields=sc_item_option.item_option_new.name,sc_item_option.item_option_new.type,sc_item_option.value,sc_item_option.sys_id`.
     */
    ScItemOptionMtomVariable: {
      request_item?: components['schemas']['ReferenceField'];
      sc_item_option?: components['schemas']['ReferenceField'];
      'sc_item_option.item_option_new.name'?: string;
      'sc_item_option.item_option_new.type'?: string;
      'sc_item_option.sys_id'?: components['schemas']['SysId'];
      'sc_item_option.value'?: string;
    };
    /** @description sc_req_item in raw mode (reference §2). Every field may be absent when not asked for. */
    ScReqItem: {
      active?: components['schemas']['BooleanString'];
      /** @description `not requested`, `requested`, `approved`, `rejected` (also `cancelled`, `not_required`, `skipped`) */
      approval?: string;
      cat_item?: components['schemas']['ReferenceField'];
      close_notes?: string;
      closed_at?: components['schemas']['DateTime'];
      /** @description Journal; always reads back "" */
      comments?: string;
      company?: components['schemas']['ReferenceField'];
      correlation_display?: string;
      correlation_id?: string;
      description?: string;
      /** @example RITM0010001 */
      number?: string;
      opened_at?: components['schemas']['DateTime'];
      opened_by?: components['schemas']['ReferenceField'];
      quantity?: string;
      request?: components['schemas']['ReferenceField'];
      requested_for?: components['schemas']['ReferenceField'];
      short_description?: string;
      stage?: string;
      /** @description -5 Pending, 1 Open, 2 Work in Progress, 3 Closed Complete, 4 Closed Incomplete, 7 Closed Skipped */
      state?: string;
      sys_created_by?: string;
      sys_created_on?: components['schemas']['DateTime'];
      sys_id?: components['schemas']['SysId'];
      sys_mod_count?: string;
      sys_updated_by?: string;
      sys_updated_on?: components['schemas']['DateTime'];
      /** @description Journal; always reads back "" */
      work_notes?: string;
    };
    /** @description The fields the connector writes on a RITM (DESIGN.md "Ticket updates"). */
    ScReqItemPatch: {
      close_notes?: string;
      /** @description Appends an additional comment (requester sees it) */
      comments?: string;
      correlation_display?: string;
      correlation_id?: string;
      /** @enum {string} */
      state?: '-5' | '1' | '2' | '3' | '4' | '7';
      /** @description Appends a work note (agents only) */
      work_notes?: string;
    };
    SysapprovalApprover: {
      approver?: components['schemas']['ReferenceField'];
      /** @description Journal; history in sys_journal_field */
      comments?: string;
      document_id?: string;
      source_table?: string;
      /** @description `not requested`, `requested`, `approved`, `rejected`, `cancelled`, `not_required`, `skipped` */
      state?: string;
      sys_created_on?: components['schemas']['DateTime'];
      sys_id?: components['schemas']['SysId'];
      sys_updated_on?: components['schemas']['DateTime'];
      sysapproval?: components['schemas']['ReferenceField'];
    };
    SysId: string;
    SysJournalField: {
      /** @description work_notes or comments */
      element?: string;
      element_id?: components['schemas']['SysId'];
      /** @description Table of the record */
      name?: string;
      sys_created_by?: string;
      sys_created_on?: components['schemas']['DateTime'];
      sys_id?: components['schemas']['SysId'];
      value?: string;
    };
    SysUser: {
      active?: components['schemas']['BooleanString'];
      company?: components['schemas']['ReferenceField'];
      email?: string;
      manager?: components['schemas']['ReferenceField'];
      name?: string;
      sys_id?: components['schemas']['SysId'];
      user_name?: string;
    };
    TableRecord: {
      [key: string]: components['schemas']['FieldValue'];
    };
    TableRecordResult: {
      result: components['schemas']['TableRecord'];
    };
    /** @description Field → value; values are sent as strings (numbers and booleans are accepted). */
    TableWrite: {
      [key: string]: string | number | boolean;
    };
    TokenError: {
      /** @example server_error */
      error?: string;
      /** @example access_denied */
      error_description?: string;
    };
    TokenRequest: {
      client_id: string;
      client_secret: string;
      /** @enum {string} */
      grant_type: 'password' | 'refresh_token' | 'client_credentials';
      /** @description password grant */
      password?: string;
      /** @description refresh_token grant */
      refresh_token?: string;
      /** @description password grant */
      username?: string;
    };
    TokenResponse: {
      access_token: string;
      /** @example 1800 */
      expires_in: number;
      /** @description Absent for client_credentials */
      refresh_token?: string;
      /** @example useraccount */
      scope?: string;
      /** @enum {string} */
      token_type: 'Bearer';
    };
  };
  responses: {
    /** @description Malformed request (missing Content-Type, invalid table, bad JSON). */
    BadRequest: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'];
      };
    };
    /** @description ACL, business rule or data policy refused the operation. */
    Forbidden: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'];
      };
    };
    /** @description "No Record found" / "Record doesn't exist or ACL restricts the record retrieval". */
    NotFound: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'];
      };
    };
    /** @description Server-side failure; a hibernating instance may instead answer 200 with text/html. */
    ServerError: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'];
        'text/html': string;
      };
    };
    /** @description Hourly rate limit exceeded (or the API semaphore queue is full, then often without Retry-After). */
    TooManyRequests: {
      headers: {
        'Retry-After': components['headers']['RetryAfter'];
        'X-RateLimit-Limit': components['headers']['XRateLimitLimit'];
        'X-RateLimit-Reset': components['headers']['XRateLimitReset'];
        'X-RateLimit-Rule': components['headers']['XRateLimitRule'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'];
      };
    };
    /** @description "User Not Authenticated" / "Required to provide Auth information". */
    Unauthorized: {
      headers: {
        'WWW-Authenticate'?: string;
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'];
      };
    };
  };
  parameters: {
    SysId: components['schemas']['SysId'];
    SysparmDisplayValue: 'false' | 'true' | 'all';
    SysparmExcludeReferenceLink: 'true' | 'false';
    /** @description Comma-separated field names; unknown names are ignored; dot-walk allowed. */
    SysparmFields: string;
    SysparmInputDisplayValue: 'true' | 'false';
    /** @description Page size (default 10000, applied before ACL filtering). */
    SysparmLimit: number;
    SysparmNoCount: 'true' | 'false';
    SysparmOffset: number;
    /**
     * @description Encoded query: `a=1^b!=2^ORcLIKEx^dSTARTSWITHy^eIN1,2^f>2026-01-01 00:00:00^ORDERBYg^ORDERBYDESCh`,
     *     dot-walk allowed (`requested_for.company=<sys_id>`). Invalid parts are silently ignored.
     */
    SysparmQuery: string;
    SysparmSuppressPaginationHeader: 'true' | 'false';
    /** @description Tables the connector and the simulator use (any other answers 400 "Invalid table"). */
    Table:
      | 'sc_request'
      | 'sc_req_item'
      | 'sc_cat_item'
      | 'item_option_new'
      | 'sc_item_option'
      | 'sc_item_option_mtom'
      | 'sysapproval_approver'
      | 'sys_user'
      | 'core_company'
      | 'sys_journal_field';
    /** @description `true` suppresses the body of a write. */
    XNoResponseBody: 'true' | 'false';
  };
  requestBodies: never;
  headers: {
    /** @description Paging links with rel="first|prev|next|last". */
    Link: string;
    /** @description Seconds to wait before the next request. */
    RetryAfter: number;
    /** @description Requests per hour allowed by the rule that applies. */
    XRateLimitLimit: number;
    /** @description UNIX time (seconds) at which the hourly count resets. */
    XRateLimitReset: number;
    /** @description sys_id of the rate-limit rule (sys_rate_limit_rules). */
    XRateLimitRule: string;
    /** @description Number of records matching the query, before paging. */
    XTotalCount: number;
  };
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  listRecords: {
    parameters: {
      query?: {
        sysparm_display_value?: components['parameters']['SysparmDisplayValue'];
        sysparm_exclude_reference_link?: components['parameters']['SysparmExcludeReferenceLink'];
        /** @description Comma-separated field names; unknown names are ignored; dot-walk allowed. */
        sysparm_fields?: components['parameters']['SysparmFields'];
        /** @description Page size (default 10000, applied before ACL filtering). */
        sysparm_limit?: components['parameters']['SysparmLimit'];
        sysparm_no_count?: components['parameters']['SysparmNoCount'];
        sysparm_offset?: components['parameters']['SysparmOffset'];
        /**
         * @description Encoded query: `a=1^b!=2^ORcLIKEx^dSTARTSWITHy^eIN1,2^f>2026-01-01 00:00:00^ORDERBYg^ORDERBYDESCh`,
         *     dot-walk allowed (`requested_for.company=<sys_id>`). Invalid parts are silently ignored.
         */
        sysparm_query?: components['parameters']['SysparmQuery'];
        sysparm_suppress_pagination_header?: components['parameters']['SysparmSuppressPaginationHeader'];
      };
      header?: never;
      path: {
        /** @description Tables the connector and the simulator use (any other answers 400 "Invalid table"). */
        table: components['parameters']['Table'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Matching records (`[]` when none match). */
      200: {
        headers: {
          Link: components['headers']['Link'];
          'X-RateLimit-Limit': components['headers']['XRateLimitLimit'];
          'X-RateLimit-Reset': components['headers']['XRateLimitReset'];
          'X-RateLimit-Rule': components['headers']['XRateLimitRule'];
          'X-Total-Count': components['headers']['XTotalCount'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            result: components['schemas']['TableRecord'][];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['ServerError'];
      503: components['responses']['ServerError'];
    };
  };
  createRecord: {
    parameters: {
      query?: {
        sysparm_display_value?: components['parameters']['SysparmDisplayValue'];
        sysparm_exclude_reference_link?: components['parameters']['SysparmExcludeReferenceLink'];
        /** @description Comma-separated field names; unknown names are ignored; dot-walk allowed. */
        sysparm_fields?: components['parameters']['SysparmFields'];
        sysparm_input_display_value?: components['parameters']['SysparmInputDisplayValue'];
      };
      header?: {
        /** @description `true` suppresses the body of a write. */
        'X-no-response-body'?: components['parameters']['XNoResponseBody'];
      };
      path: {
        /** @description Tables the connector and the simulator use (any other answers 400 "Invalid table"). */
        table: components['parameters']['Table'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['TableWrite'];
      };
    };
    responses: {
      /** @description Created; the stored record (absent with `X-no-response-body: true`). */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TableRecordResult'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      415: components['responses']['BadRequest'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['ServerError'];
    };
  };
  getRecord: {
    parameters: {
      query?: {
        sysparm_display_value?: components['parameters']['SysparmDisplayValue'];
        sysparm_exclude_reference_link?: components['parameters']['SysparmExcludeReferenceLink'];
        /** @description Comma-separated field names; unknown names are ignored; dot-walk allowed. */
        sysparm_fields?: components['parameters']['SysparmFields'];
      };
      header?: never;
      path: {
        sys_id: components['parameters']['SysId'];
        /** @description Tables the connector and the simulator use (any other answers 400 "Invalid table"). */
        table: components['parameters']['Table'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The record. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TableRecordResult'];
        };
      };
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['ServerError'];
    };
  };
  putRecord: {
    parameters: {
      query?: {
        sysparm_display_value?: components['parameters']['SysparmDisplayValue'];
        sysparm_exclude_reference_link?: components['parameters']['SysparmExcludeReferenceLink'];
        /** @description Comma-separated field names; unknown names are ignored; dot-walk allowed. */
        sysparm_fields?: components['parameters']['SysparmFields'];
        sysparm_input_display_value?: components['parameters']['SysparmInputDisplayValue'];
      };
      header?: {
        /** @description `true` suppresses the body of a write. */
        'X-no-response-body'?: components['parameters']['XNoResponseBody'];
      };
      path: {
        sys_id: components['parameters']['SysId'];
        /** @description Tables the connector and the simulator use (any other answers 400 "Invalid table"). */
        table: components['parameters']['Table'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['TableWrite'];
      };
    };
    responses: {
      /** @description The updated record. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TableRecordResult'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['ServerError'];
    };
  };
  patchRecord: {
    parameters: {
      query?: {
        sysparm_display_value?: components['parameters']['SysparmDisplayValue'];
        sysparm_exclude_reference_link?: components['parameters']['SysparmExcludeReferenceLink'];
        /** @description Comma-separated field names; unknown names are ignored; dot-walk allowed. */
        sysparm_fields?: components['parameters']['SysparmFields'];
        sysparm_input_display_value?: components['parameters']['SysparmInputDisplayValue'];
      };
      header?: {
        /** @description `true` suppresses the body of a write. */
        'X-no-response-body'?: components['parameters']['XNoResponseBody'];
      };
      path: {
        sys_id: components['parameters']['SysId'];
        /** @description Tables the connector and the simulator use (any other answers 400 "Invalid table"). */
        table: components['parameters']['Table'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['TableWrite'];
      };
    };
    responses: {
      /** @description The updated record (journal fields read back `""`). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TableRecordResult'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['ServerError'];
    };
  };
  getCompany: {
    parameters: {
      query?: {
        /** @description Comma-separated field names; unknown names are ignored; dot-walk allowed. */
        sysparm_fields?: components['parameters']['SysparmFields'];
      };
      header?: never;
      path: {
        sys_id: components['parameters']['SysId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The company. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            result: components['schemas']['CoreCompany'];
          };
        };
      };
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['ServerError'];
    };
  };
  listRequestItemVariables: {
    parameters: {
      query?: {
        /** @description Comma-separated field names; unknown names are ignored; dot-walk allowed. */
        sysparm_fields?: components['parameters']['SysparmFields'];
        /** @description Page size (default 10000, applied before ACL filtering). */
        sysparm_limit?: components['parameters']['SysparmLimit'];
        /**
         * @description Encoded query: `a=1^b!=2^ORcLIKEx^dSTARTSWITHy^eIN1,2^f>2026-01-01 00:00:00^ORDERBYg^ORDERBYDESCh`,
         *     dot-walk allowed (`requested_for.company=<sys_id>`). Invalid parts are silently ignored.
         */
        sysparm_query?: components['parameters']['SysparmQuery'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One row per answered variable. */
      200: {
        headers: {
          'X-Total-Count': components['headers']['XTotalCount'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            result: components['schemas']['ScItemOptionMtomVariable'][];
          };
        };
      };
      401: components['responses']['Unauthorized'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['ServerError'];
    };
  };
  listRequestItems: {
    parameters: {
      query?: {
        sysparm_display_value?: components['parameters']['SysparmDisplayValue'];
        /** @description Comma-separated field names; unknown names are ignored; dot-walk allowed. */
        sysparm_fields?: components['parameters']['SysparmFields'];
        /** @description Page size (default 10000, applied before ACL filtering). */
        sysparm_limit?: components['parameters']['SysparmLimit'];
        sysparm_offset?: components['parameters']['SysparmOffset'];
        /**
         * @description Encoded query: `a=1^b!=2^ORcLIKEx^dSTARTSWITHy^eIN1,2^f>2026-01-01 00:00:00^ORDERBYg^ORDERBYDESCh`,
         *     dot-walk allowed (`requested_for.company=<sys_id>`). Invalid parts are silently ignored.
         */
        sysparm_query?: components['parameters']['SysparmQuery'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Matching RITMs. */
      200: {
        headers: {
          Link: components['headers']['Link'];
          'X-Total-Count': components['headers']['XTotalCount'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            result: components['schemas']['ScReqItem'][];
          };
        };
      };
      401: components['responses']['Unauthorized'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['ServerError'];
    };
  };
  getRequestItem: {
    parameters: {
      query?: {
        sysparm_display_value?: components['parameters']['SysparmDisplayValue'];
        /** @description Comma-separated field names; unknown names are ignored; dot-walk allowed. */
        sysparm_fields?: components['parameters']['SysparmFields'];
      };
      header?: never;
      path: {
        sys_id: components['parameters']['SysId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The RITM. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            result: components['schemas']['ScReqItem'];
          };
        };
      };
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['ServerError'];
    };
  };
  updateRequestItem: {
    parameters: {
      query?: {
        /** @description Comma-separated field names; unknown names are ignored; dot-walk allowed. */
        sysparm_fields?: components['parameters']['SysparmFields'];
      };
      header?: never;
      path: {
        sys_id: components['parameters']['SysId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ScReqItemPatch'];
      };
    };
    responses: {
      /** @description The updated RITM; `work_notes` and `comments` read back `""`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            result: components['schemas']['ScReqItem'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['ServerError'];
    };
  };
  listJournalEntries: {
    parameters: {
      query?: {
        /** @description Comma-separated field names; unknown names are ignored; dot-walk allowed. */
        sysparm_fields?: components['parameters']['SysparmFields'];
        /** @description Page size (default 10000, applied before ACL filtering). */
        sysparm_limit?: components['parameters']['SysparmLimit'];
        sysparm_offset?: components['parameters']['SysparmOffset'];
        /**
         * @description Encoded query: `a=1^b!=2^ORcLIKEx^dSTARTSWITHy^eIN1,2^f>2026-01-01 00:00:00^ORDERBYg^ORDERBYDESCh`,
         *     dot-walk allowed (`requested_for.company=<sys_id>`). Invalid parts are silently ignored.
         */
        sysparm_query?: components['parameters']['SysparmQuery'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Entries in the asked order. */
      200: {
        headers: {
          'X-Total-Count': components['headers']['XTotalCount'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            result: components['schemas']['SysJournalField'][];
          };
        };
      };
      401: components['responses']['Unauthorized'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['ServerError'];
    };
  };
  getUser: {
    parameters: {
      query?: {
        /** @description Comma-separated field names; unknown names are ignored; dot-walk allowed. */
        sysparm_fields?: components['parameters']['SysparmFields'];
      };
      header?: never;
      path: {
        sys_id: components['parameters']['SysId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The user. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            result: components['schemas']['SysUser'];
          };
        };
      };
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['ServerError'];
    };
  };
  listApprovals: {
    parameters: {
      query?: {
        /** @description Comma-separated field names; unknown names are ignored; dot-walk allowed. */
        sysparm_fields?: components['parameters']['SysparmFields'];
        /** @description Page size (default 10000, applied before ACL filtering). */
        sysparm_limit?: components['parameters']['SysparmLimit'];
        /**
         * @description Encoded query: `a=1^b!=2^ORcLIKEx^dSTARTSWITHy^eIN1,2^f>2026-01-01 00:00:00^ORDERBYg^ORDERBYDESCh`,
         *     dot-walk allowed (`requested_for.company=<sys_id>`). Invalid parts are silently ignored.
         */
        sysparm_query?: components['parameters']['SysparmQuery'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One row per approver. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            result: components['schemas']['SysapprovalApprover'][];
          };
        };
      };
      401: components['responses']['Unauthorized'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['ServerError'];
    };
  };
  requestToken: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['TokenRequest'];
      };
    };
    responses: {
      /** @description A bearer token (1800 s by default; refresh tokens live 100 days). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TokenResponse'];
        };
      };
      /** @description Bad client or user credentials, unknown grant, or a body that is not form-encoded. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TokenError'];
        };
      };
    };
  };
}
