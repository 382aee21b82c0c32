import { jsonResponse, type JsonResponse } from '../http';

/** An error the API answers with: a status, a stable machine-readable code, and a message for people. */
export interface ApiError {
  readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429;
  /** Stable across releases (`InvalidField`, `PayloadTooLarge`…): clients branch on it, never on the message. */
  readonly code: string;
  readonly message: string;
  /** The offending request field as a JSON path (`repository.url`), when one field is at fault. */
  readonly field?: string;
}

/** `{ "error": { code, message, field? } }`, the body of every error the API returns. */
export function errorResponse(error: ApiError): JsonResponse {
  const { code, message, field } = error;
  return jsonResponse(error.status, { error: field === undefined ? { code, message } : { code, message, field } });
}
