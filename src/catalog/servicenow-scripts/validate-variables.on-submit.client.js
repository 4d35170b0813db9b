/**
 * Catalog client script (onSubmit), one per Storware catalog item: refuses to submit while a
 * variable breaks its rule from catalog-items/*.yaml, the same rule the connector applies
 * (src/catalog/variables.ts), and shows the definition's own message under the field.
 *
 * Why a client script and not a "Variable Validation Regex" record: client-side JavaScript
 * RegExp is the same regex dialect the connector uses (server-side validation regexes are Java
 * regexes), integer ranges need code anyway, and catalog_script_client is available on every
 * release. ServiceNow's own mandatory check still runs; this one skips empty answers.
 *
 * The generator replaces the empty RULES list with the item's rules:
 * [{ name, label, message, maxLength, pattern?, integer?: { min, max } }].
 */
function onSubmit() {
  var RULES = [];
  var valid = true;
  for (var i = 0; i < RULES.length; i++) {
    var rule = RULES[i];
    g_form.hideFieldMsg(rule.name, true);
    var problem = storwareProblem(rule, g_form.getValue(rule.name));
    if (problem !== '') {
      g_form.showFieldMsg(rule.name, problem, 'error');
      valid = false;
    }
  }
  return valid;

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
