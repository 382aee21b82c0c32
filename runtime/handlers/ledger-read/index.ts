import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { callerOf } from '../../core/api/caller';
import { errorResponse } from '../../core/dispatch/api-error';
import { jsonResponse, type JsonResponse } from '../../core/http';
import { parseLedgerQuery } from '../../core/ledger/query';
import { callerRules } from '../../lambda/caller-rules';
import { ledgerTable } from '../../lambda/ledger-read';
import { readLedger } from '../../services/read-ledger';

/** GET /ledger (the caller's own totals) and GET /admin/ledger (everyone's). */
export async function handler(event: APIGatewayProxyEventV2WithIAMAuthorizer): Promise<JsonResponse> {
  const caller = callerOf(event, callerRules);
  if (!caller) {
    return errorResponse({ status: 401, code: 'Unauthenticated', message: 'The request carries no caller identity.' });
  }
  const parsed = parseLedgerQuery(event.queryStringParameters ?? {});
  if (!parsed.ok) {
    return errorResponse(parsed.error);
  }
  return jsonResponse(200, await readLedger(ledgerTable(), caller, parsed.query));
}
