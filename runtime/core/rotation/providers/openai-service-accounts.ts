import * as z from 'zod/mini';

/** OpenAI's Admin API, for a project's service accounts (each created with one API key). */
export const OPENAI_ADMIN_URL = 'https://api.openai.com';

export interface AdminRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly body?: string;
}

/**
 * The service account a rotation creates is named after the secret version it fills, so that a retried step and
 * the retirement of that version find it again without storing anything beside the key.
 */
export function serviceAccountName(versionId: string): string {
  return `outpost-${versionId}`;
}

function accountsUrl(adminUrl: string, projectId: string): string {
  return `${adminUrl}/v1/organization/projects/${encodeURIComponent(projectId)}/service_accounts`;
}

export function listServiceAccounts(adminUrl: string, projectId: string, after?: string): AdminRequest {
  const query = new URLSearchParams({ limit: '100', ...(after !== undefined && { after }) });
  return { method: 'GET', url: `${accountsUrl(adminUrl, projectId)}?${query}` };
}

export function createServiceAccount(adminUrl: string, projectId: string, name: string): AdminRequest {
  return { method: 'POST', url: accountsUrl(adminUrl, projectId), body: JSON.stringify({ name }) };
}

export function deleteServiceAccount(adminUrl: string, projectId: string, id: string): AdminRequest {
  return { method: 'DELETE', url: `${accountsUrl(adminUrl, projectId)}/${encodeURIComponent(id)}` };
}

const ServiceAccountPage = z.object({
  data: z.array(z.object({ id: z.string(), name: z.string() })),
  has_more: z.boolean(),
  last_id: z.optional(z.nullable(z.string())),
});

const CreatedServiceAccount = z.object({ id: z.string(), api_key: z.object({ value: z.string().check(z.minLength(1)) }) });

/** One page of service accounts: the one named `name` if on it, and where the next page starts if any. */
export function findOnPage(body: unknown, name: string): { readonly id?: string; readonly next?: string } {
  const page = ServiceAccountPage.parse(body);
  const id = page.data.find((account) => account.name === name)?.id;
  return { ...(id !== undefined && { id }), ...(page.has_more && page.last_id && { next: page.last_id }) };
}

/** The new account's API key: OpenAI shows it in this answer only. */
export function createdKey(body: unknown): string {
  return CreatedServiceAccount.parse(body).api_key.value;
}
