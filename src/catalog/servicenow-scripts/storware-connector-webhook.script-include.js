/**
 * StorwareConnectorWebhook: tells the storware-itsm-connector about catalog requests for its three
 * items, as Standard Webhooks deliveries (https://www.standardwebhooks.com):
 *
 *   POST <x_storware.connector.webhook_url>
 *   webhook-id: msg_<RITM sys_id>_<event>_<sys_mod_count>_<sys_updated_on digits>
 *   webhook-timestamp: <seconds since the epoch, at each attempt>
 *   webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>"> [v1,<…> with a second secret]
 *   {"event":"ritm.submitted|ritm.updated|ritm.cancelled","sys_id","number","cat_item","sys_updated_on","variables":{…}}
 *
 * How it runs. The business rule "Storware connector: notify on RITM changes" (after insert and
 * update on sc_req_item) calls notify(current, previous): classify() decides which event the change
 * means (it needs `previous`, which only a synchronous rule has) and the event
 * x_storware.connector.ritm_webhook is queued with what the rule saw. The script action on that
 * event calls deliver() in the background, so a user's save never waits for the network. A failed
 * delivery is queued again with a growing delay (RESTMessageV2 has no retry of its own); retries
 * keep the webhook-id, so the connector answers a retry of something it already took as a
 * duplicate.
 *
 * The webhook is a nudge, not the record of truth: the connector re-reads the RITM, its variables
 * and its approvals before acting, and its reconciler finds requests whose webhook never arrived.
 * A delivery that is finally given up is therefore logged, not escalated.
 *
 * ES5 only: global server scripts run on Rhino. Tested in Node by
 * test/unit/catalog-webhook-script.test.ts and test/integration/catalog-webhook-intake.test.ts.
 */
var StorwareConnectorWebhook = Class.create();

/** The event the business rule queues and the script action handles. */
StorwareConnectorWebhook.EVENT_NAME = 'x_storware.connector.ritm_webhook';

/** System properties read when sending (the update set creates them without values). */
StorwareConnectorWebhook.PROPERTIES = {
  /** Full URL of the connector's intake, e.g. https://connector.example.com/webhooks/servicenow. */
  webhookUrl: 'x_storware.connector.webhook_url',
  /** One or two `whsec_` secrets separated by spaces; with two, every delivery is signed with both. */
  webhookSecrets: 'x_storware.connector.webhook_secrets',
  /** user_name of the connector's integration account: its own closing updates are not cancellations. */
  integrationUser: 'x_storware.connector.integration_user',
  /** Optional: attempts per delivery before giving up (default below). */
  maxAttempts: 'x_storware.connector.max_attempts'
};

/**
 * sc_cat_item sys_id → the connector's item key (the body's `cat_item`). These are the sys_ids the
 * update set gives the items (src/catalog/sys-ids.ts); the build refuses a map that differs.
 */
StorwareConnectorWebhook.CATALOG_ITEMS = {
  '1500170486dd20c16b832d86da7acaf4': 'storware_backup_now',
  '58aed6536d1b10924deac8dbfd1eabf0': 'storware_restore_point',
  be620b57a038980dc8b288c6cfcfc5b9: 'storware_protect_vm'
};

/** RITM states that end it without the work done: 4 Closed Incomplete, 7 Closed Skipped. */
StorwareConnectorWebhook.CANCEL_STATES = ['4', '7'];
/** The legacy-workflow stage of a cancelled request (docs/servicenow.md §2, "stage"). */
StorwareConnectorWebhook.CANCELLED_STAGE = 'Request Cancelled';

StorwareConnectorWebhook.DEFAULT_MAX_ATTEMPTS = 6;
/** Socket read timeout of one attempt. */
StorwareConnectorWebhook.HTTP_TIMEOUT_MS = 10000;
/** How long the script action waits for the answer; below glide.http.outbound.max_timeout (30 s). */
StorwareConnectorWebhook.WAIT_SECONDS = 20;
/** Retry delays double from the first to the cap: 30 s, 1, 2, 4, 8 min… */
StorwareConnectorWebhook.FIRST_RETRY_SECONDS = 30;
StorwareConnectorWebhook.MAX_RETRY_SECONDS = 3600;

StorwareConnectorWebhook.prototype = {
  initialize: function () {},

  /** The connector's key for the RITM's catalog item, or '' when the item is not one of ours. */
  itemKey: function (ritm) {
    var key = StorwareConnectorWebhook.CATALOG_ITEMS[this._value(ritm, 'cat_item')];
    return typeof key === 'string' ? key : '';
  },

  /**
   * Which webhook a saved RITM calls for, or '' for none:
   * - inserted for one of the three items → ritm.submitted;
   * - moved to Closed Incomplete / Closed Skipped, or to the cancelled stage, by anyone but the
   *   connector's own account → ritm.cancelled (the connector closing a ticket is not news to it);
   * - approval changed, or a variable changed → ritm.updated.
   * Anything else (work notes, the connector's state updates) sends nothing.
   */
  classify: function (current, previous) {
    if (this.itemKey(current) === '') {
      return '';
    }
    if (current.operation() === 'insert') {
      return 'ritm.submitted';
    }
    if (!previous) {
      return '';
    }
    if (this._closedByOthers(current, previous)) {
      return 'ritm.cancelled';
    }
    if (
      this._value(current, 'approval') !== this._value(previous, 'approval') ||
      this._variablesChanged(current)
    ) {
      return 'ritm.updated';
    }
    return '';
  },

  /** Business rule entry point: classifies the change and queues its delivery. Returns the event. */
  notify: function (current, previous) {
    var event = this.classify(current, previous);
    if (event === '') {
      return '';
    }
    // What the rule saw is frozen into the event: retries then carry the same webhook-id and the
    // same sys_updated_on, whatever happens to the RITM meanwhile.
    var seen = JSON.stringify({
      event: event,
      sys_updated_on: this._value(current, 'sys_updated_on'),
      sys_mod_count: this._value(current, 'sys_mod_count')
    });
    gs.eventQueue(StorwareConnectorWebhook.EVENT_NAME, current, seen, '1');
    return event;
  },

  /**
   * Script action entry point: sends one queued delivery and decides what follows. Returns
   * 'delivered', 'refused' (the connector said no; retrying cannot help), 'retry_scheduled',
   * 'gave_up', 'not_configured' or 'skipped'.
   */
  deliver: function (ritm, seenJson, attemptText) {
    var seen = this._parseSeen(seenJson);
    var number = this._value(ritm, 'number');
    if (seen === null || this.itemKey(ritm) === '') {
      gs.error(
        'Storware connector webhook for ' +
          number +
          ' skipped: the queued event is not one this script include sent'
      );
      return 'skipped';
    }
    var url = gs.getProperty(StorwareConnectorWebhook.PROPERTIES.webhookUrl, '');
    var secrets = this.secrets();
    if (url === '' || secrets.length === 0) {
      gs.error(
        'Storware connector webhook for ' +
          number +
          ' not sent: set the system properties ' +
          StorwareConnectorWebhook.PROPERTIES.webhookUrl +
          ' and ' +
          StorwareConnectorWebhook.PROPERTIES.webhookSecrets
      );
      return 'not_configured';
    }
    var attempt = parseInt(attemptText, 10) || 1;
    var message = this.buildMessage(ritm, seen, secrets, this._nowSeconds());
    var result = this.send(url, message);
    var what = seen.event + ' for ' + number + ' (webhook-id ' + message.id + ', attempt ' + attempt + ')';
    if (result.ok) {
      gs.debug('Storware connector accepted ' + what + ': HTTP ' + result.status);
      return 'delivered';
    }
    if (!result.retryable) {
      gs.error('Storware connector refused ' + what + ': HTTP ' + result.status + ' ' + result.detail);
      return 'refused';
    }
    var maxAttempts =
      parseInt(gs.getProperty(StorwareConnectorWebhook.PROPERTIES.maxAttempts, ''), 10) ||
      StorwareConnectorWebhook.DEFAULT_MAX_ATTEMPTS;
    if (attempt >= maxAttempts) {
      gs.error(
        'Storware connector webhook ' +
          what +
          ' given up after ' +
          attempt +
          ' attempts (last: HTTP ' +
          result.status +
          ' ' +
          result.detail +
          "); the connector's reconciler will pick the request up"
      );
      return 'gave_up';
    }
    var delay = this.retryDelaySeconds(attempt, result.retryAfter);
    var when = new GlideDateTime();
    when.addSeconds(delay);
    gs.eventQueueScheduled(StorwareConnectorWebhook.EVENT_NAME, ritm, seenJson, String(attempt + 1), when);
    gs.warn(
      'Storware connector webhook ' +
        what +
        ' failed (HTTP ' +
        result.status +
        ' ' +
        result.detail +
        '); retrying in ' +
        delay +
        ' s'
    );
    return 'retry_scheduled';
  },

  /** The configured `whsec_` secrets (one, or two during a rotation). */
  secrets: function () {
    var raw = String(gs.getProperty(StorwareConnectorWebhook.PROPERTIES.webhookSecrets, '') || '');
    var parts = raw.split(/[\s,]+/);
    var secrets = [];
    for (var i = 0; i < parts.length; i++) {
      if (parts[i] !== '') {
        secrets.push(parts[i]);
      }
    }
    return secrets;
  },

  /** Body, id, timestamp and signature of one attempt. */
  buildMessage: function (ritm, seen, secrets, timestampSeconds) {
    var sysId = String(ritm.getUniqueValue());
    var body = this._asciiJson({
      event: seen.event,
      sys_id: sysId,
      number: this._value(ritm, 'number'),
      cat_item: this.itemKey(ritm),
      sys_updated_on: seen.sys_updated_on,
      variables: this.variablesOf(ritm)
    });
    var id = this.webhookId(sysId, seen);
    var timestamp = String(timestampSeconds);
    return { id: id, timestamp: timestamp, body: body, signature: this.sign(secrets, id, timestamp, body) };
  },

  /**
   * One id per event the rule saw, the same for every retry of it: the RITM, the event, and the
   * version of the RITM (mod count and update time) that triggered it.
   */
  webhookId: function (sysId, seen) {
    return (
      'msg_' +
      sysId +
      '_' +
      seen.event.replace('ritm.', '') +
      '_' +
      seen.sys_mod_count +
      '_' +
      String(seen.sys_updated_on).replace(/[^0-9]/g, '')
    );
  },

  /**
   * Standard Webhooks signatures, one `v1,` entry per secret, space-separated. generateMac wants
   * the key base64-encoded, which is exactly what follows `whsec_`, and answers in base64.
   */
  sign: function (secrets, id, timestamp, body) {
    // CertificateEncryption is the documented name (scoped); older global code knows the class as
    // GlideCertificateEncryption. Both take (base64 key, algorithm, data) and return base64.
    var mac =
      typeof CertificateEncryption !== 'undefined'
        ? new CertificateEncryption()
        : new GlideCertificateEncryption();
    var signed = id + '.' + timestamp + '.' + body;
    var signatures = [];
    for (var i = 0; i < secrets.length; i++) {
      var key = secrets[i].indexOf('whsec_') === 0 ? secrets[i].substring(6) : secrets[i];
      signatures.push('v1,' + mac.generateMac(key, 'HmacSHA256', signed));
    }
    return signatures.join(' ');
  },

  /** The answers, as strings, by variable name (sorted, so equal answers give equal bytes). */
  variablesOf: function (ritm) {
    var names = [];
    for (var name in ritm.variables) {
      names.push(name);
    }
    names.sort();
    var answers = {};
    for (var i = 0; i < names.length; i++) {
      var answer = ritm.variables[names[i]];
      answers[names[i]] = answer === null || answer === undefined ? '' : String(answer);
    }
    return answers;
  },

  /** Sends one attempt and reports { ok, status, retryable, retryAfter, detail }. */
  send: function (url, message) {
    var request = new sn_ws.RESTMessageV2();
    // ${…} in a variable answer must reach the connector as typed: substitution would change the
    // body after it was signed.
    if (typeof request.disableForcedVariableSubstitution === 'function') {
      request.disableForcedVariableSubstitution();
    }
    request.setEndpoint(url);
    request.setHttpMethod('post');
    request.setHttpTimeout(StorwareConnectorWebhook.HTTP_TIMEOUT_MS);
    request.setRequestHeader('Content-Type', 'application/json');
    request.setRequestHeader('Accept', 'application/json');
    request.setRequestHeader('webhook-id', message.id);
    request.setRequestHeader('webhook-timestamp', message.timestamp);
    request.setRequestHeader('webhook-signature', message.signature);
    request.setRequestBody(message.body);
    try {
      // executeAsync hands the call to the instance's outbound HTTP workers; waiting is fine here
      // because this runs in the event processor, never in a user's transaction, and the answer
      // decides whether to retry.
      var response = request.executeAsync();
      response.waitForResponse(StorwareConnectorWebhook.WAIT_SECONDS);
      var status = parseInt(response.getStatusCode(), 10) || 0;
      if (status >= 200 && status < 300) {
        return { ok: true, status: status };
      }
      return {
        ok: false,
        status: status,
        retryable: this._retryable(status),
        retryAfter: parseInt(response.getHeader('Retry-After'), 10) || 0,
        detail: this._short(response.haveError() ? response.getErrorMessage() : response.getBody())
      };
    } catch (e) {
      return {
        ok: false,
        status: 0,
        retryable: true,
        retryAfter: 0,
        detail: this._short(e && e.message ? e.message : e)
      };
    }
  },

  /** 30 s, 60 s, 120 s … capped; never sooner than the connector's Retry-After. */
  retryDelaySeconds: function (attempt, retryAfter) {
    var delay = StorwareConnectorWebhook.FIRST_RETRY_SECONDS * Math.pow(2, attempt - 1);
    delay = Math.min(delay, StorwareConnectorWebhook.MAX_RETRY_SECONDS);
    return Math.max(delay, retryAfter || 0);
  },

  /** No answer, timeouts, throttling and server errors may pass; a 4xx verdict will not change. */
  _retryable: function (status) {
    return status === 0 || status === 408 || status === 425 || status === 429 || status >= 500;
  },

  _closedByOthers: function (current, previous) {
    var state = this._value(current, 'state');
    var stage = this._value(current, 'stage');
    var closedNow =
      StorwareConnectorWebhook.CANCEL_STATES.indexOf(state) >= 0 && state !== this._value(previous, 'state');
    var cancelledNow =
      stage === StorwareConnectorWebhook.CANCELLED_STAGE && stage !== this._value(previous, 'stage');
    if (!closedNow && !cancelledNow) {
      return false;
    }
    var connectorUser = String(gs.getProperty(StorwareConnectorWebhook.PROPERTIES.integrationUser, '') || '');
    return connectorUser === '' || String(gs.getUserName()) !== connectorUser;
  },

  /**
   * Whether any variable answer changed in this update. Variables edited on the RITM form save with
   * the RITM, so their elements report changes(); an edit straight to sc_item_option does not fire
   * this rule (the connector re-reads the variables before acting anyway).
   */
  _variablesChanged: function (current) {
    for (var name in current.variables) {
      var answer = current.variables[name];
      if (answer && typeof answer.changes === 'function' && answer.changes()) {
        return true;
      }
    }
    return false;
  },

  _parseSeen: function (json) {
    try {
      var seen = JSON.parse(String(json));
      var known = { 'ritm.submitted': true, 'ritm.updated': true, 'ritm.cancelled': true };
      return seen && known[seen.event] === true ? seen : null;
    } catch (e) {
      return null;
    }
  },

  /** A field's raw value as a string ('' when empty). */
  _value: function (record, field) {
    var value = record.getValue(field);
    return value === null || value === undefined ? '' : String(value);
  },

  _nowSeconds: function () {
    return Math.floor(new GlideDateTime().getNumericValue() / 1000);
  },

  /**
   * JSON with every non-ASCII character written as an escape (\u00fc). The signature is computed
   * over a Java string and the body is sent as bytes; an ASCII body makes those the same bytes
   * whatever charset either side picks.
   */
  _asciiJson: function (value) {
    return JSON.stringify(value).replace(/[\u007f-\uffff]/g, function (c) {
      return '\\u' + ('0000' + c.charCodeAt(0).toString(16)).slice(-4);
    });
  },

  _short: function (text) {
    var s = text === null || text === undefined ? '' : String(text);
    return s.length > 300 ? s.substring(0, 300) + '...' : s;
  },

  type: 'StorwareConnectorWebhook'
};
