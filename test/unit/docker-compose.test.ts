// No Docker engine runs in CI here (and often no compose plugin), so this checks what matters for
// operators statically: Redis is configured for a queue and every role is a service.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

const compose = YAML.parse(readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { command?: string[]; build?: string; image?: string; depends_on?: unknown }>;
};

describe('docker-compose.yml', () => {
  it('when read, then it has Redis, the API, the workers and both simulators', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'api',
      'redis',
      'servicenow-sim',
      'storware-sim',
      'worker',
    ]);
  });

  it('when Redis is started by it, then AOF is on and eviction is off', () => {
    const command = compose.services.redis!.command!.join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
  });

  it('when the API and workers start, then they run the built entry point with their role', () => {
    expect(compose.services.api!.command).toEqual(['node', 'dist/src/cli/start.js', 'api']);
    expect(compose.services.worker!.command).toEqual(['node', 'dist/src/cli/start.js', 'worker']);
  });
});
