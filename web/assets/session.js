// Sign-in state of one tab: the bearer token and what the pages keep beside it, in
// sessionStorage only (never localStorage, never cookies: docs/decisions.md explains why).
// Closing the tab signs out; a token past its expiry is dropped before anyone uses it.

/** The claims of a JWT, read (not verified: the API verifies) to shape the page. */
export function jwtClaims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = part + '='.repeat((4 - (part.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

export class SessionStore {
  constructor(prefix) {
    this.prefix = prefix;
  }

  key(name) {
    return `${this.prefix}.${name}`;
  }

  /** Start a session from a login answer ({token, expires_in}) plus what else to keep. */
  start(answer, extra = {}) {
    this.clear();
    const session = { token: answer.token, expires_at: Date.now() + answer.expires_in * 1000, ...extra };
    sessionStorage.setItem(this.key('session'), JSON.stringify(session));
    return session;
  }

  /** The live session, or null (none, unreadable, or expired: then it is cleared). */
  current() {
    let session = null;
    try {
      session = JSON.parse(sessionStorage.getItem(this.key('session')) || 'null');
    } catch {
      session = null;
    }
    if (!session || typeof session.token !== 'string' || !(session.expires_at > Date.now())) {
      if (session) this.clear();
      return null;
    }
    return session;
  }

  get(name) {
    return sessionStorage.getItem(this.key(name));
  }

  set(name, value) {
    if (value === null || value === undefined) sessionStorage.removeItem(this.key(name));
    else sessionStorage.setItem(this.key(name), String(value));
  }

  /** Sign out: forget the token and everything kept beside it. */
  clear() {
    for (let i = sessionStorage.length - 1; i >= 0; i -= 1) {
      const name = sessionStorage.key(i);
      if (name && name.startsWith(`${this.prefix}.`)) sessionStorage.removeItem(name);
    }
  }
}
