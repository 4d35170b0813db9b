/**
 * Checks the generator makes on top of the connector's own (loadCatalog: schema, required
 * variables). These are things a form in ServiceNow would get wrong silently: a default the
 * connector would refuse (every order without a change would be refused at intake), two choices
 * with the same value, text that cannot travel in XML. Every problem is returned, not the first.
 */
import type { ErrorDetail } from '../../errors';
import type { Catalog, CatalogItemDefinition } from '../definitions';
import { createVariableParser } from '../variables';
import { forbiddenCharacter } from './xml-writer';

function textsOf(item: CatalogItemDefinition): Array<[string, string]> {
  const texts: Array<[string, string]> = [
    ['name', item.name],
    ['shortDescription', item.shortDescription],
    ['description', item.description],
    ['category', item.category],
  ];
  if (item.approval.note !== undefined) {
    texts.push(['approval.note', item.approval.note]);
  }
  item.variables.forEach((v, i) => {
    const at = `variables[${i}]`;
    texts.push([`${at}.question`, v.question]);
    if (v.default !== undefined) {
      texts.push([`${at}.default`, v.default]);
    }
    if (v.help !== undefined) {
      texts.push([`${at}.help`, v.help]);
    }
    if (v.validation !== undefined) {
      texts.push([`${at}.validation.message`, v.validation.message]);
      if (v.validation.pattern !== undefined) {
        texts.push([`${at}.validation.pattern`, v.validation.pattern]);
      }
    }
    (v.choices ?? []).forEach((c, j) => {
      texts.push([`${at}.choices[${j}].label`, c.label]);
      texts.push([`${at}.choices[${j}].value`, c.value]);
    });
  });
  return texts;
}

export function checkDefinitionsForUpdateSet(catalog: Catalog): ErrorDetail[] {
  const parser = createVariableParser(catalog);
  const problems: ErrorDetail[] = [];
  for (const item of catalog.values()) {
    const where = `catalog-items (${item.key})`;

    // A default is what an untouched form sends; the connector must accept it.
    const defaults = Object.fromEntries(
      item.variables.filter((v) => v.default !== undefined).map((v) => [v.name, v.default!]),
    );
    for (const problem of parser.check(item.key, defaults)) {
      const name = problem.path?.replace(/^variables\./, '');
      if (name !== undefined && name in defaults) {
        problems.push({
          path: `${where}:variables.${name}.default`,
          message: `"${defaults[name]}" ${problem.message}`,
        });
      }
    }

    item.variables.forEach((v, i) => {
      const seen = new Set<string>();
      for (const choice of v.choices ?? []) {
        if (seen.has(choice.value)) {
          problems.push({
            path: `${where}:variables[${i}].choices`,
            message: `value "${choice.value}" appears twice`,
          });
        }
        seen.add(choice.value);
      }
    });

    for (const [path, text] of textsOf(item)) {
      const bad = forbiddenCharacter(text);
      if (bad) {
        problems.push({
          path: `${where}:${path}`,
          message: `contains ${bad.code}, which an update set (XML 1.0) cannot carry`,
        });
      }
    }
  }
  return problems;
}
