// The public API, on the pages' own origin (CloudFront sends /v1/* to the HTTP API;
// locally the stack serves both). Every failure becomes an ApiError whose message is for a
// person: the API's own `error.message` (and its field messages), or words of ours for the
// few answers that do not come from the API (the gateway's 401, the network).

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
  401: 'Your session has ended. Please sign in again.',
  403: 'You are not allowed to do this.',
  404: 'This was not found.',
  429: 'Too many requests. Wait a moment and try again.',
};

function errorFrom(status, body) {
  const error = body && typeof body === 'object' ? body.error : null;
  if (error && typeof error.message === 'string') {
    const fields = Array.isArray(error.fields) ? error.fields : [];
    const details = fields.map((field) => field.message).filter(Boolean);
    const message = details.length ? `${error.message} ${details.join(' ')}` : error.message;
    return new ApiError(status, error.code || 'error', message, fields);
  }
  const message = GATEWAY_MESSAGES[status] || 'Something went wrong on our side. Please try again.';
  return new ApiError(status, status === 401 ? 'unauthorized' : 'error', message);
}

/**
 * Call the API: `await api('/v1/accounts', {token})`, `{method: 'PATCH', body: {...}}`;
 * with `contentType` the body is a string sent as it is (`text/csv`). Answers the parsed
 * JSON (null for 204), or throws an ApiError.
 */
export async function api(path, { method = 'GET', body, token, contentType } = {}) {
  const headers = { Accept: 'application/json' };
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
    throw new ApiError(0, 'network', 'The connection failed. Check your network and try again.');
  }
  if (response.status === 204) return null;
  const parsed = await response.json().catch(() => null);
  if (response.ok) return parsed;
  throw errorFrom(response.status, parsed);
}
