/**
 * The catalog items are listed once (src/items/definitions.ts); everything else that names them
 * must agree: their flows, their request jobs, their catalog-item files and the connector's API
 * spec. These checks name what a new item still lacks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { CATALOG_ITEM_KEYS, ITEM_DEFINITIONS } from '../../src/items/definitions';
import { ITEM_FLOWS } from '../../src/items/flows';
import { JOBS, requestJobName } from '../../src/jobs/catalog';

const root = join(__dirname, '..', '..');

describe('catalog item registry', () => {
  it('when an item is registered, then its flow runs that item and its job runs on the requests queue', () => {
    for (const key of CATALOG_ITEM_KEYS) {
      expect(ITEM_FLOWS[key].item).toBe(key);
      expect(ITEM_DEFINITIONS[key].key).toBe(key);
      const job = requestJobName(key);
      expect(JOBS[job].queue).toBe('requests');
    }
  });

  it('when job names are derived from the items, then each is unique and every request job belongs to one item', () => {
    const jobs = CATALOG_ITEM_KEYS.map(requestJobName);
    expect(new Set(jobs).size).toBe(jobs.length);
    const requestJobs = Object.entries(JOBS)
      .filter(([, spec]) => spec.queue === 'requests')
      .map(([name]) => name);
    expect(requestJobs.sort()).toEqual([...jobs].sort());
  });

  it('when an item is registered, then catalog-items/ has its definition file with the same key', () => {
    for (const key of CATALOG_ITEM_KEYS) {
      const file = join(root, 'catalog-items', `${key}.yaml`);
      expect(existsSync(file)).toBe(true);
      expect((YAML.parse(readFileSync(file, 'utf8')) as { key: string }).key).toBe(key);
    }
  });

  it("when the connector's API names the items, then it names exactly the registered ones", () => {
    const spec = YAML.parse(readFileSync(join(root, 'spec', 'connector.openapi.yaml'), 'utf8')) as {
      components: { schemas: { CatalogItemKey: { enum: string[] } } };
    };
    expect(spec.components.schemas.CatalogItemKey.enum).toEqual([...CATALOG_ITEM_KEYS]);
  });
});
