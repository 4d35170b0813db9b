/**
 * Script action "Storware connector: send webhook", on the event x_storware.connector.ritm_webhook.
 * `current` is the RITM (as it is now), `event.parm1` what the business rule saw when it queued the
 * event (event, update time, mod count), `event.parm2` the attempt number. Retries are queued by
 * StorwareConnectorWebhook.deliver() itself, with a delay.
 */
/* global StorwareConnectorWebhook */
new StorwareConnectorWebhook().deliver(current, event.parm1, event.parm2);
