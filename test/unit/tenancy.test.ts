import { approvalRuleFor, policyForTier, sameProject, tenantForCompany } from '../../src/tenancy/tenants';
import { testConfig } from '../helpers/config';
import { FIXTURE } from '../../src/simulators/fixture-ids';

const file = testConfig().connector;

describe('tenancy', () => {
  it('when the requester company is mapped, then its tenant is found; otherwise nothing', () => {
    expect(tenantForCompany(file, FIXTURE.companies.acme.sysId)?.id).toBe('acme');
    expect(tenantForCompany(file, FIXTURE.companies.initech.sysId)).toBeUndefined();
    expect(tenantForCompany(file, undefined)).toBeUndefined();
  });

  it('when a tenant overrides an approval rule, then its rule wins over the file default', () => {
    const globex = tenantForCompany(file, FIXTURE.companies.globex.sysId)!;
    const acme = tenantForCompany(file, FIXTURE.companies.acme.sysId)!;
    expect(approvalRuleFor(file, globex, 'storware_backup_now')).toMatchObject({
      required: true,
      timeoutHours: 24,
    });
    expect(approvalRuleFor(file, acme, 'storware_backup_now').required).toBe(false);
    expect(approvalRuleFor(file, acme, 'storware_restore_point').required).toBe(true);
  });

  it('when a tier is asked for, then the configured policy is returned and unknown tiers are undefined', () => {
    const acme = tenantForCompany(file, FIXTURE.companies.acme.sysId)!;
    expect(policyForTier(file, acme, 'gold')?.policyGuid).toBe(FIXTURE.policies.gold.guid);
    expect(policyForTier(file, acme, 'platinum')).toBeUndefined();
  });

  it('when project ids differ only in dashes and case, then they are the same project', () => {
    expect(sameProject('5E1F0A0C-0DE0-4C0A-9E0A-0C0E00000001', FIXTURE.projects.acme.id)).toBe(true);
    expect(sameProject(FIXTURE.projects.globex.id, FIXTURE.projects.acme.id)).toBe(false);
    expect(sameProject(undefined, FIXTURE.projects.acme.id)).toBe(false);
  });
});
