/**
 * Catalog client script (onChange), one per Storware catalog variable with a rule: says at once,
 * under the field, when the answer breaks the rule from catalog-items/*.yaml (the onSubmit script
 * of the item is what actually blocks the order). Same check as validate-variables.on-submit.client.js.
 *
 * The generator replaces the empty RULES list with the variable's one rule.
 */
function onChange(control, oldValue, newValue, isLoading) {
  if (isLoading) {
    return;
  }
  var RULES = [];
  var rule = RULES[0];
  g_form.hideFieldMsg(rule.name, true);
  var problem = storwareProblem(rule, newValue);
  if (problem !== '') {
    g_form.showFieldMsg(rule.name, problem, 'error');
  }

  function storwareProblem(rule, raw) {
    var value = String(raw === null || raw === undefined ? '' : raw).trim();
    if (value === '') {
      return '';
    }
    if (value.length > rule.maxLength) {
      return rule.label + ' must be at most ' + rule.maxLength + ' characters';
    }
    if (rule.pattern && !new RegExp(rule.pattern).test(value)) {
      return rule.label + ' ' + rule.message;
    }
    if (rule.integer) {
      var n = Number(value);
      if (!/^-?\d+$/.test(value) || n < rule.integer.min || n > rule.integer.max) {
        return rule.label + ' ' + rule.message;
      }
    }
    return '';
  }
}
