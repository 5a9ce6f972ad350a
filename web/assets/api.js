// The public API, on the pages' own origin (CloudFront sends /v1/* to the HTTP API;
// locally the stack serves both). Every failure becomes an ApiError whose message is for a
// person: the API's own `error.message` (and its field messages), or words of ours for the
// few answers that do not come from the API (the gateway's 401, the network). Every call
// says the page's language (Accept-Language), so the API's messages come back in it.

import { isStarted, start, t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, message, fields = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

const GATEWAY_MESSAGES = {
  401: 'common.error.unauthorized',
  403: 'common.error.forbidden',
  404: 'common.error.notFound',
  429: 'common.error.tooMany',
};

/** Our own words for an error: a page that shows no catalog texts (/verify) loads them now. */
async function words(key) {
  if (!isStarted()) await start({ person: document.documentElement.lang }).catch(() => undefined);
  return t(key);
}

async function errorFrom(status, body) {
  const error = body && typeof body === 'object' ? body.error : null;
  if (error && typeof error.message === 'string') {
    const fields = Array.isArray(error.fields) ? error.fields : [];
    const details = fields.map((field) => field.message).filter(Boolean);
    const message = details.length ? `${error.message} ${details.join(' ')}` : error.message;
    return new ApiError(status, error.code || 'error', message, fields);
  }
  const message = await words(GATEWAY_MESSAGES[status] || 'common.error.server');
  return new ApiError(status, status === 401 ? 'unauthorized' : 'error', message);
}

/**
 * Call the API: `await api('/v1/accounts', {token})`, `{method: 'PATCH', body: {...}}`;
 * with `contentType` the body is a string sent as it is (`text/csv`). Answers the parsed
 * JSON (null for 204), or throws an ApiError.
 */
export async function api(path, { method = 'GET', body, token, contentType } = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': document.documentElement.lang || 'en' };
  if (body !== undefined) headers['Content-Type'] = contentType || 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined || contentType ? body : JSON.stringify(body),
      credentials: 'omit', // bearer tokens only: no cookie is ever sent or set
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', await words('common.error.network'));
  }
  if (response.status === 204) return null;
  const parsed = await response.json().catch(() => null);
  if (response.ok) return parsed;
  throw await errorFrom(response.status, parsed);
}
