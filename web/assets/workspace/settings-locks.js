// The firm settings' "Locked categories" group: the notification categories the firm
// manages for its clients (`locked_categories` of /v1/firm/settings). A client cannot
// change a locked category: its emails carry no unsubscribe link. Staff still change each
// address's preferences. The kinds that are always sent are named too, as fixed.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { CATEGORIES, categoryTitle } from './categories.js';

/** The group, its switches filled from `settings`. */
export function lockedSection(settings) {
  const locked = new Set(settings.locked_categories || []);
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'firm-locks-title', id: 'firm-locks' },
    h('h2', { id: 'firm-locks-title', text: t('workspace.locks.title') }),
    h('p', { class: 'muted small', id: 'firm-locks-intro', text: t('workspace.locks.intro') }),
    h(
      'ul',
      { class: 'prefs-list settings-prefs' },
      ...CATEGORIES.map((key) =>
        h(
          'li',
          { class: 'pref' },
          h('span', { class: 'pref-text' }, h('strong', { id: `lock-${key}-label`, text: categoryTitle(key) })),
          h(
            'label',
            { class: 'switch' },
            // a checkbox (locked or not), not a switch: the switches above are the
            // categories themselves
            h('input', {
              type: 'checkbox',
              name: `lock-${key}`,
              checked: locked.has(key),
              'aria-labelledby': `lock-${key}-label`,
              'aria-describedby': 'firm-locks-intro',
              dataset: { path: 'locked_categories', locked: key },
            }),
          ),
        ),
      ),
    ),
    h('p', { class: 'muted small', text: t('workspace.locks.required') }),
    h('p', { class: 'error collapse', dataset: { errorPath: 'locked_categories' } }),
  );
}

/** The whole list when it differs from what `current` holds, else undefined. */
export function lockedChange(form, current) {
  const wanted = [...form.querySelectorAll('[data-locked]')].filter((input) => input.checked).map((input) => input.dataset.locked);
  const before = current.locked_categories || [];
  const same = wanted.length === before.length && wanted.every((name) => before.includes(name));
  return same ? undefined : wanted;
}

export function fillLocked(form, settings) {
  const locked = new Set(settings.locked_categories || []);
  for (const input of form.querySelectorAll('[data-locked]')) input.checked = locked.has(input.dataset.locked);
}
