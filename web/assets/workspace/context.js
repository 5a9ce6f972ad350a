// What every page of the staff workspace shares: who is signed in (from the token's
// claims: the API decides, the pages only follow) and `call`, the API with that token.
// A 401 ends the session: `call` clears it and tells the shell (the event
// `crm:session-ended`), which shows the sign-in form; the error is thrown on as well.

import { api } from '../api.js';
import { SessionStore, jwtClaims } from '../session.js';

export const store = new SessionStore('crm.staff');

const PREFERENCES = ['staff_id', 'language', 'time_zone', 'form_of_address'];

/** Keep what the login answer says about the person and the firm beside the token. */
export function remember(values) {
  for (const [name, value] of Object.entries(values)) if (PREFERENCES.includes(name)) store.set(name, value);
}

/** What `remember` kept: {staff_id, language, time_zone, form_of_address} (null when unknown). */
export function preferences() {
  return Object.fromEntries(PREFERENCES.map((name) => [name, store.current() ? store.get(name) : null]));
}

/** The signed-in staff member, or null: {token, email, role, canManage, staffId, language}. */
export function me() {
  const session = store.current();
  if (!session) return null;
  const claims = jwtClaims(session.token) || {};
  const role = claims['custom:role'] || 'employee';
  const manage = String(claims['custom:manage_accounts']) === 'true';
  return {
    token: session.token,
    email: claims.email || session.email || '',
    role,
    canManage: role === 'owner' || role === 'admin' || manage,
    isAdmin: role === 'owner' || role === 'admin',
    staffId: claims['custom:staff_id'] || store.get('staff_id') || '',
    language: store.get('language'),
  };
}

/**
 * The API as the signed-in person: `await call('/v1/accounts')`,
 * `call(path, {method: 'PATCH', body: {...}})`, `call(path, {method: 'POST', body: csvText,
 * contentType: 'text/csv'})`. Answers the parsed JSON (null for 204) or throws an ApiError.
 */
export async function call(path, options = {}) {
  const user = me();
  try {
    return await api(path, { ...options, token: user ? user.token : undefined });
  } catch (error) {
    if (error.status === 401) {
      store.clear();
      window.dispatchEvent(new CustomEvent('crm:session-ended'));
    }
    throw error;
  }
}
