/**
 * Tenant scope comes from the requester's company, through configuration, never from the payload
 * (docs/design.md, Principles, "ServiceNow is the truth about the ticket"; OWASP API1 BOLA). These
 * lookups are the only way code learns which OpenStack project a request may touch.
 */
import type { ApprovalRule, ConnectorFile, TenantConfig } from '../config';
import { ITEM_DEFINITIONS, type CatalogItemKey } from '../items/definitions';

export function tenantForCompany(
  file: ConnectorFile,
  companySysId: string | undefined,
): TenantConfig | undefined {
  if (!companySysId) {
    return undefined;
  }
  return file.tenants.find((t) => t.serviceNowCompany === companySysId);
}

export function tenantById(file: ConnectorFile, id: string): TenantConfig | undefined {
  return file.tenants.find((t) => t.id === id);
}

/** The tenant's own rule, else the file's default for the item, else the item's default. */
export function approvalRuleFor(
  file: ConnectorFile,
  tenant: TenantConfig,
  item: CatalogItemKey,
): ApprovalRule {
  const definition = ITEM_DEFINITIONS[item];
  const rule = tenant.approvals[item] ?? file.approvals[item] ?? definition.defaultApproval;
  // The config schema refuses turning such an approval off; this holds even for a config built in code.
  return definition.approvalAlwaysRequired ? { ...rule, required: true } : rule;
}

export function policyForTier(
  file: ConnectorFile,
  tenant: TenantConfig,
  tier: string,
): { policyGuid: string; description?: string } | undefined {
  return tenant.policyTiers[tier] ?? file.policyTiers[tier];
}

/** Keystone ids appear with and without dashes; compare them in one form. */
export function sameProject(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) {
    return false;
  }
  const norm = (s: string) => s.replaceAll('-', '').toLowerCase();
  return norm(a) === norm(b);
}
