// Every text of the pages in the reader's language (issue 13): catalogs, the choice of a
// language, and dates, numbers and amounts through Intl.
//
// The catalogs are web/assets/locales/<language>/<area>.json (`common`, `portal`,
// `workspace`): every language has the same files with the same keys. A page loads the
// areas it shows (start({areas: ['common', 'portal']})). Keys start with their area.
//
//
//   "accounts.count": {"one": "{count} account", "other": "{count} accounts"}
//   "portal.welcome": {"formal": "Welkom, {name}. Kies uw account.", "informal": "Welkom, {name}. Kies je account."}
//   "login.submit": "Sign in"
//
// A value is a string with named placeholders, or an object that chooses: by the plural
// category of `count` (Intl.PluralRules: zero, one, two, few, many, other) or by the
// firm's form of address (`formal`, the default, or `informal`: "u" or "je" in Dutch).
// The two can nest. The code never glues words together: t('key', {name}) and done.
//
// The language: the one the reader picked with the switch (kept in localStorage), else
// the signed-in person's (setPersonLanguage, from the API), else the browser's
// (navigator.languages), else English. Adding a language is one catalog file and one
// entry in LANGUAGES; the tests add a pseudo-locale through `globalThis.crmTestLanguages`.

export const LANGUAGES = {
  en: { locale: 'en-GB', name: 'English' },
  nl: { locale: 'nl-NL', name: 'Nederlands' },
  ...(globalThis.crmTestLanguages || {}),
};
export const DEFAULT_LANGUAGE = 'en';
const PICKED = 'crm.language'; // localStorage: the switch's choice on this browser

const state = { language: DEFAULT_LANGUAGE, catalog: {}, fallback: {}, informal: false, timeZone: undefined };
const listeners = new Set();

/** `nl` for "nl-BE", "NL" or "nl_NL"; null when no catalog speaks it. */
export function supported(tag) {
  if (!tag) return null;
  const primary = String(tag).trim().replace('_', '-').split('-')[0].toLowerCase();
  return Object.hasOwn(LANGUAGES, primary) ? primary : null;
}

function browserLanguage() {
  for (const tag of navigator.languages || [navigator.language]) {
    const found = supported(tag);
    if (found) return found;
  }
  return null;
}

function picked() {
  try {
    return supported(localStorage.getItem(PICKED));
  } catch {
    return null; // storage refused (private mode): the switch lasts for the page only
  }
}

let areas = ['common'];
let started = false;

async function fetchCatalog(language) {
  const parts = await Promise.all(
    areas.map(async (area) => {
      const answer = await fetch(new URL(`./locales/${language}/${area}.json`, import.meta.url));
      if (!answer.ok) throw new Error(`catalog ${language}/${area}: ${answer.status}`);
      return answer.json();
    }),
  );
  return Object.assign({}, ...parts);
}

/** Load the language to show, with the catalogs of `areas`, before the first render. */
export async function start({ person, areas: wanted = ['common'] } = {}) {
  areas = wanted;
  started = true;
  await use(picked() || supported(person) || browserLanguage() || DEFAULT_LANGUAGE);
}

/** Whether start() ran: a page without catalogs of its own (/verify) starts them late. */
export function isStarted() {
  return started;
}

async function use(language) {
  const [catalog, fallback] = await Promise.all([
    fetchCatalog(language),
    language === DEFAULT_LANGUAGE ? null : fetchCatalog(DEFAULT_LANGUAGE).catch(() => null),
  ]);
  state.language = language;
  state.catalog = catalog;
  state.fallback = fallback || catalog;
  document.documentElement.lang = LANGUAGES[language].locale;
  translate();
  for (const listener of listeners) listener(language);
}

/** The signed-in person's language (from the API): used unless the reader picked one. */
export async function setPersonLanguage(language) {
  const wanted = picked() || supported(language) || browserLanguage() || DEFAULT_LANGUAGE;
  if (wanted !== state.language) await use(wanted);
}

/** The switch: show `language` from now on, on this browser. */
export async function pickLanguage(language) {
  const found = supported(language);
  if (!found) return;
  try {
    localStorage.setItem(PICKED, found);
  } catch {
    // kept for this page only
  }
  await use(found);
}

/** Call `listener(language)` after every change of language (to render again). */
export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function language() {
  return state.language;
}

export function locale() {
  return LANGUAGES[state.language].locale;
}

/**
 * The firm's form of address (`informal`: "je") and time zone (`Europe/Amsterdam`). The
 * page's HTML texts follow at once; answers whether anything changed (then the page draws
 * what it drew itself again).
 */
export function setFirmPreferences({ informal, timeZone } = {}) {
  const before = [state.informal, state.timeZone];
  if (informal !== undefined) state.informal = Boolean(informal);
  if (timeZone !== undefined) state.timeZone = validZone(timeZone);
  const changed = before[0] !== state.informal || before[1] !== state.timeZone;
  if (changed && started) translate();
  return changed;
}

function validZone(zone) {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

function choose(value, values) {
  if (typeof value === 'string' || value === undefined) return value;
  if ('formal' in value || 'informal' in value) {
    return choose(state.informal && 'informal' in value ? value.informal : value.formal ?? value.informal, values);
  }
  const category = new Intl.PluralRules(locale()).select(Number(values.count ?? 0));
  if (Number(values.count) === 0 && 'zero' in value) return choose(value.zero, values);
  return choose(value[category] ?? value.other, values);
}

function lookup(key, values) {
  let text = choose(state.catalog[key], values);
  if (text === undefined) {
    text = choose(state.fallback[key], values);
    if (text === undefined) {
      console.error(`i18n: no text for ${key}`);
      return key;
    }
  }
  return text;
}

function filled(value) {
  return typeof value === 'number' ? formatNumber(value) : String(value);
}

/** The text of `key`, its {placeholders} filled from `values`. */
export function t(key, values = {}) {
  return lookup(key, values).replace(/\{(\w+)\}/g, (whole, name) => (Object.hasOwn(values, name) ? filled(values[name]) : whole));
}

/**
 * The text of `key` as children for h(...) or append(): a placeholder whose value is a
 * Node stays that node (t('portal.notice.text', {account: h('strong', ...)})).
 */
export function tNodes(key, values = {}) {
  return lookup(key, values)
    .split(/(\{\w+\})/)
    .filter(Boolean)
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!name || !Object.hasOwn(values, name)) return part;
      return values[name] instanceof Node ? values[name] : filled(values[name]);
    });
}

// The texts of a page's HTML: <h1 data-i18n="portal.login.title">Sign in</h1> gets its
// text, <nav data-i18n-attr="aria-label:portal.nav.label"> its attributes ("name:key",
// several separated by ";"), from the catalog. The English text in the HTML is what shows
// before the script runs; tests/unit/test_page_catalogs.py keeps it equal to the catalog.

/** Fill every data-i18n text and data-i18n-attr attribute under `root` in the current language. */
export function translate(root = document) {
  const selector = '[data-i18n], [data-i18n-attr]';
  const elements = [...root.querySelectorAll(selector)];
  if (root instanceof Element && root.matches(selector)) elements.unshift(root);
  for (const element of elements) {
    if (element.dataset.i18n) element.textContent = t(element.dataset.i18n);
    for (const pair of (element.dataset.i18nAttr || '').split(';')) {
      const [name, key] = pair.split(':').map((part) => part.trim());
      if (name && key) element.setAttribute(name, t(key));
    }
  }
}

export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(locale(), options).format(value);
}

/** "€ 1.234,50" in Dutch, "€1,234.50" in English. */
export function formatMoney(amount, currency) {
  return formatNumber(Number(amount), { style: 'currency', currency });
}

function asDate(value) {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "8 Dec 2026" / "8 dec 2026", in the firm's time zone. */
export function formatDate(value, options = { day: 'numeric', month: 'short', year: 'numeric' }) {
  const date = asDate(value);
  return date ? new Intl.DateTimeFormat(locale(), { timeZone: state.timeZone, ...options }).format(date) : '';
}

/** "8 December 2026, 14:00" / "8 december 2026 om 14:00", in the firm's time zone. */
export function formatDateTime(value) {
  return formatDate(value, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** "3 days ago", "in 2 hours". */
export function formatRelative(value, now = Date.now()) {
  const date = asDate(value);
  if (!date) return '';
  const seconds = (date.getTime() - now) / 1000;
  const units = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  const format = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(Math.round(seconds), 'second');
}

/**
 * A <select> of the languages, each named in its own language; picking one re-renders the
 * page through the listeners. The select keeps its place (and the focus) and follows
 * every change of language: its name and value.
 */
export function languageSwitch(h) {
  const select = h(
    'select',
    { class: 'language-switch', 'data-i18n-attr': 'aria-label:common.language', 'aria-label': t('common.language'), onchange: (event) => pickLanguage(event.target.value) },
    ...Object.entries(LANGUAGES).map(([code, { name }]) => h('option', { value: code, selected: code === state.language, lang: code, text: name })),
  );
  onLanguageChange((language) => {
    select.value = language;
  });
  return select;
}
