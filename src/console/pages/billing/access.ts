import { activeAccount } from "../../auth/session";

/**
 * Billing is a person's page: the API gives billing.manage to the owner and billing roles of an
 * organization, so the console offers it only to them (an API key never has it).
 */
export function canManageBilling(): boolean {
  const role = activeAccount()?.organization?.role;
  return role === "owner" || role === "billing";
}
