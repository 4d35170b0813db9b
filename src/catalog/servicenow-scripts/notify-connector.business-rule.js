/**
 * Business rule "Storware connector: notify on RITM changes" on sc_req_item: after insert and
 * update, for the three Storware catalog items (the rule's filter condition).
 *
 * Why "after" and not "async": which webhook a change calls for depends on what changed (approval,
 * variables, state moved to closed), and only a synchronous rule has `previous`. The rule does no
 * network work itself: it queues an event, and the script action "Storware connector: send
 * webhook" sends it in the background, so saving a RITM never waits for the connector.
 */
/* global StorwareConnectorWebhook */
(function executeRule(current, previous) {
  new StorwareConnectorWebhook().notify(current, previous);
})(current, previous);
