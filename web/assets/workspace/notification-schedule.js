// The notification schedule of one address on one account (a row's menu in the Contacts
// section): per category at once, an hourly or a daily summary; the daily summary's hour;
// quiet hours; the time zone they are read in (the address's own, else the firm's).
// GET/PUT /v1/accounts/{account}/emails/{email}/notification-schedule.

import { $, announce, h, openModal } from '../dom.js';
import { t } from '../i18n.js';
import { CATEGORIES, categoryTitle } from './categories.js';
import { call } from './context.js';
import { tx } from './ui.js';

const FREQUENCIES = ['immediate', 'hourly', 'daily'];
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

let current = null; // {path, address}

function dialog() {
  let found = $('#schedule-dialog');
  if (!found) {
    found = h('dialog', { id: 'schedule-dialog', 'aria-labelledby': 'schedule-title', 'aria-describedby': 'schedule-text' });
    document.body.append(found);
  }
  return found;
}

function clockTime(hour) {
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(
    Date.UTC(2000, 0, 1, hour),
  );
}

function build(address, account, canManage, reason) {
  const frequencyRows = CATEGORIES.map((name) =>
    h(
      'div',
      { class: 'schedule-row' },
      h('label', { for: `schedule-${name}`, text: categoryTitle(name) }),
      h(
        'select',
        { id: `schedule-${name}`, name, disabled: !canManage },
        ...FREQUENCIES.map((value) => h('option', { value, text: t(`workspace.schedule.${value}`) })),
      ),
    ),
  );
  const form = h(
    'form',
    { id: 'schedule-form', novalidate: true },
    h('h2', { id: 'schedule-title', tabindex: '-1', text: t('workspace.schedule.title') }),
    h('p', { id: 'schedule-text', class: 'muted' }, ...tx('workspace.schedule.text', { address: h('strong', { text: address }), account: h('strong', { text: account }) })),
    h('p', { id: 'schedule-reason', class: 'note', hidden: canManage, text: canManage ? '' : reason }),
    h(
      'fieldset',
      { id: 'schedule-fields', 'aria-busy': 'true' },
      h('legend', { text: t('workspace.schedule.frequencyLegend') }),
      ...frequencyRows,
      h(
        'div',
        { class: 'schedule-row' },
        h('label', { for: 'schedule-hour', text: t('workspace.schedule.dailyHour') }),
        h('select', { id: 'schedule-hour', disabled: !canManage }, ...HOURS.map((hour) => h('option', { value: String(hour), text: clockTime(hour) }))),
      ),
    ),
    h(
      'fieldset',
      { id: 'schedule-quiet' },
      h('legend', { text: t('workspace.schedule.quiet') }),
      h(
        'label',
        { class: 'pref switch' },
        h('input', { type: 'checkbox', role: 'switch', id: 'schedule-quiet-on', disabled: !canManage, 'aria-describedby': 'schedule-quiet-hint' }),
        h('span', { class: 'pref-text' }, h('strong', { text: t('workspace.schedule.quietOn') }), h('span', { class: 'muted small', id: 'schedule-quiet-hint', text: t('workspace.schedule.quietHint') })),
      ),
      h(
        'div',
        { class: 'schedule-times' },
        h('label', { for: 'schedule-quiet-start', text: t('workspace.schedule.quietFrom') }),
        h('input', { type: 'time', id: 'schedule-quiet-start', value: '22:00', step: '60', disabled: !canManage }),
        h('label', { for: 'schedule-quiet-end', text: t('workspace.schedule.quietUntil') }),
        h('input', { type: 'time', id: 'schedule-quiet-end', value: '07:00', step: '60', disabled: !canManage }),
      ),
    ),
    h(
      'div',
      { class: 'schedule-row' },
      h('label', { for: 'schedule-zone', text: t('workspace.schedule.zone') }),
      h('input', { type: 'text', id: 'schedule-zone', autocomplete: 'off', spellcheck: 'false', disabled: !canManage, 'aria-describedby': 'schedule-zone-hint' }),
    ),
    h('p', { id: 'schedule-zone-hint', class: 'muted small' }),
    h('p', { class: 'muted small', text: t('workspace.schedule.required') }),
    h('p', { id: 'schedule-error', class: 'error', role: 'alert' }),
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'button', id: 'schedule-cancel', text: t('workspace.action.cancel'), onclick: () => dialog().close() }),
      h('button', { type: 'submit', id: 'schedule-save', class: 'primary', disabled: true, text: t('workspace.action.save') }),
    ),
  );
  form.addEventListener('submit', save);
  return form;
}

function fill(schedule, canManage) {
  for (const name of CATEGORIES) $(`#schedule-${name}`).value = schedule.frequency[name] || 'immediate';
  $('#schedule-hour').value = String(schedule.daily_hour);
  const quiet = schedule.quiet_hours;
  $('#schedule-quiet-on').checked = Boolean(quiet);
  if (quiet) {
    $('#schedule-quiet-start').value = quiet.start;
    $('#schedule-quiet-end').value = quiet.end;
  }
  $('#schedule-zone').value = schedule.time_zone || '';
  $('#schedule-zone').placeholder = schedule.effective_time_zone;
  $('#schedule-zone-hint').textContent = t('workspace.schedule.zoneHint', { zone: schedule.effective_time_zone });
  $('#schedule-save').disabled = !canManage;
}

/** Open the schedule dialog for one row. */
export async function openSchedule({ path, address, account, canManage, reason, opener, fallback }) {
  current = { path, address };
  const box = dialog();
  box.replaceChildren(build(address, account, canManage, reason));
  openModal(box, { opener, focus: $('#schedule-title'), fallback });
  try {
    const schedule = await call(path);
    if (!box.open || current.path !== path) return;
    fill(schedule, canManage);
  } catch (failure) {
    if (failure.status === 401) return;
    $('#schedule-error').textContent = failure.message;
  } finally {
    $('#schedule-fields').setAttribute('aria-busy', 'false');
  }
}

async function save(event) {
  event.preventDefault();
  const { path, address } = current;
  const frequency = Object.fromEntries(CATEGORIES.map((name) => [name, $(`#schedule-${name}`).value]));
  const quietOn = $('#schedule-quiet-on').checked;
  const body = {
    frequency,
    daily_hour: Number($('#schedule-hour').value),
    quiet_hours: quietOn ? { start: $('#schedule-quiet-start').value, end: $('#schedule-quiet-end').value } : null,
    time_zone: $('#schedule-zone').value.trim() || null,
  };
  const button = $('#schedule-save');
  button.disabled = true;
  button.textContent = t('workspace.action.saving');
  $('#schedule-error').textContent = '';
  try {
    await call(path, { method: 'PUT', body });
    dialog().close();
    announce(t('workspace.schedule.saved', { address }));
  } catch (failure) {
    if (failure.status === 401) return;
    $('#schedule-error').textContent = failure.message; // the API's words, its fields' included
  } finally {
    button.disabled = false;
    button.textContent = t('workspace.action.save');
  }
}
