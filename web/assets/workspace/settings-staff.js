// Settings, Staff (#/settings/staff): the firm's staff page by page (GET /v1/staff), an
// invitation form (POST /v1/staff) and a role dialog (PATCH /v1/staff/{staff_id}). Owner
// and admins only may invite or change; the owner's role never changes.

import { announce, h, openModal } from '../dom.js';
import { t } from '../i18n.js';
import { call, me } from './context.js';
import { adminOnlyReason, clearErrors, field, placeErrors, put, readOnlyNote, uid } from './settings-common.js';
import { emptyState, pagedList, pageTitle, timeElement } from './ui.js';

/** "Owner" / "Eigenaar". */
function roleWords(role) {
  return ['owner', 'admin', 'employee'].includes(role) ? t(`workspace.role.${role}`) : role;
}

export function render(body) {
  const user = me();
  const title = pageTitle(t('workspace.settings.staff'));
  const listHolder = h('div', { id: 'staff-list' });
  put(body, 
    h('div', { class: 'page-head' }, title, h('p', { class: 'muted', text: t('workspace.staff.intro') })),
    user.isAdmin ? null : readOnlyNote('staff-read-only', adminOnlyReason()),
    user.isAdmin ? inviteForm(() => draw()) : null,
    h('section', { class: 'panel', 'aria-labelledby': 'staff-list-title' }, h('h2', { id: 'staff-list-title', text: t('workspace.staff.members') }), listHolder),
  );
  title.focus();
  const draw = () =>
    listHolder.replaceChildren(
      pagedList({
        label: t('workspace.staff.label'),
        listClass: 'item-list staff-list',
        more: t('workspace.staff.more'),
        load: (cursor) => call(`/v1/staff?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
        item: (member) => staffItem(member, user, draw),
        empty: () => emptyState(t('workspace.staff.none')),
      }),
    );
  draw();
}

function statusWords(member) {
  if (member.status === 'active') return h('span', { class: 'chip chip-active', text: t('workspace.status.active') });
  return h('span', {}, h('span', { class: 'chip chip-invited', text: t('workspace.status.invited') }), member.invited_at ? h('span', { class: 'muted small' }, ' ', timeElement(member.invited_at)) : null);
}

function staffItem(member, user, redraw) {
  const role = roleWords(member.role);
  const rights = t(member.role === 'employee' ? (member.manage_accounts ? 'workspace.staff.manages' : 'workspace.staff.readOnly') : 'workspace.staff.full');
  const change =
    user.isAdmin && member.role !== 'owner'
      ? h('button', {
          type: 'button',
          class: 'link',
          text: t('workspace.staff.changeRole'),
          'aria-label': t('workspace.staff.changeRoleOf', { email: member.email }),
          onclick: (event) => openRole(member, event.currentTarget, redraw),
        })
      : member.role === 'owner'
        ? h('span', { class: 'muted small', text: t('workspace.staff.ownerFixed') })
        : null;
  return h(
    'li',
    { class: 'staff-row', dataset: { staffId: member.staff_id } },
    h('span', { class: 'staff-email', text: member.email }),
    h('span', { class: 'staff-role' }, h('strong', { text: role }), h('span', { class: 'muted small', text: t('workspace.staff.rights', { rights }) })),
    h('span', { class: 'staff-status' }, statusWords(member)),
    h('span', { class: 'staff-actions' }, change),
  );
}

// -------------------------------------------------------------------- invite

function roleControls(prefix, role, manage) {
  const name = `${prefix}-role`;
  const manageId = uid(`${prefix}-manage`);
  const manageBox = h('input', { type: 'checkbox', id: manageId, name: 'manage_accounts', checked: manage, dataset: { path: 'manage_accounts' } });
  manageBox.defaultChecked = manage; // what form.reset() goes back to
  const group = h(
    'fieldset',
    { class: 'field choices', dataset: { path: 'role' } },
    h('legend', { text: t('workspace.staff.role') }),
    ...['employee', 'admin'].map((value) => {
      const id = uid(`${prefix}-${value}`);
      const input = h('input', { type: 'radio', id, name, value, checked: role === value });
      input.defaultChecked = role === value;
      return h('div', { class: 'choice' }, input, h('label', { for: id, text: roleWords(value) }));
    }),
    h('p', { class: 'error collapse', dataset: { errorPath: 'role' } }),
  );
  const manageField = h(
    'div',
    { class: 'field choice' },
    manageBox,
    h('label', { for: manageId, text: t('workspace.staff.manage') }),
    h('p', { class: 'error collapse', dataset: { errorPath: 'manage_accounts' } }),
  );
  const sync = () => {
    const admin = group.querySelector('input:checked')?.value === 'admin';
    manageBox.disabled = admin;
    if (admin) manageBox.checked = true;
  };
  group.addEventListener('change', sync);
  sync();
  return { group, manageField, value: () => ({ role: group.querySelector('input:checked')?.value, manage_accounts: manageBox.checked }) };
}

function inviteForm(redraw) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'off' });
  const roles = roleControls('invite', 'employee', false);
  const error = h('p', { class: 'error', role: 'alert' });
  const done = h('p', { class: 'saved-note', role: 'status' });
  const send = h('button', { type: 'submit', class: 'primary', text: t('workspace.invite.send') });
  const form = h(
    'form',
    { class: 'panel', novalidate: true, 'aria-labelledby': 'invite-title' },
    h('h2', { id: 'invite-title', text: t('workspace.staff.invite') }),
    h('p', { class: 'muted small', text: t('workspace.staff.inviteIntro') }),
    field({ label: t('workspace.login.email'), control: email, path: 'email' }),
    roles.group,
    roles.manageField,
    error,
    h('div', { class: 'form-actions' }, send, done),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    done.textContent = '';
    clearErrors(form);
    const address = email.value.trim();
    if (!address) {
      placeErrors(form, [{ name: 'email', message: t('workspace.staff.emailMissing') }]);
      email.focus();
      return;
    }
    send.disabled = true;
    send.textContent = t('workspace.invite.sending');
    try {
      await call('/v1/staff', { method: 'POST', body: { email: address, ...roles.value() } });
      form.reset();
      roles.group.dispatchEvent(new Event('change'));
      done.textContent = t('workspace.staff.invited', { address });
      redraw();
    } catch (failure) {
      if (failure.status === 401) return;
      if (failure.code === 'firm_not_verified') {
        error.textContent = t('workspace.staff.notVerified');
        return;
      }
      const { first, unplaced } = placeErrors(form, failure.fields);
      error.textContent = failure.fields && failure.fields.length ? [t('workspace.staff.checkFields'), ...unplaced].join(' ') : failure.message;
      if (first) first.focus();
    } finally {
      send.disabled = false;
      send.textContent = t('workspace.invite.send');
    }
  });
  return form;
}

// ---------------------------------------------------------------------- role

let roleDialog = null;

function openRole(member, opener, redraw) {
  if (roleDialog) roleDialog.remove();
  const roles = roleControls('change', member.role, member.manage_accounts);
  const error = h('p', { class: 'error', role: 'alert' });
  const save = h('button', { type: 'submit', class: 'primary', text: t('workspace.staff.saveRole') });
  const cancel = h('button', { type: 'button', text: t('workspace.action.cancel') });
  const form = h(
    'form',
    { method: 'dialog', novalidate: true },
    h('h2', { id: 'role-dialog-title', text: t('workspace.staff.changeRole') }),
    h('p', { id: 'role-dialog-text', text: t('workspace.staff.changeRoleText', { email: member.email }) }),
    roles.group,
    roles.manageField,
    error,
    h('div', { class: 'form-actions' }, cancel, save),
  );
  roleDialog = h('dialog', { id: 'role-dialog', 'aria-labelledby': 'role-dialog-title', 'aria-describedby': 'role-dialog-text' }, form);
  document.body.append(roleDialog);
  const dialog = roleDialog;
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    save.disabled = true;
    try {
      const changed = await call(`/v1/staff/${encodeURIComponent(member.staff_id)}`, { method: 'PATCH', body: roles.value() });
      dialog.close();
      const key = changed.role === 'employee' ? (changed.manage_accounts ? 'workspace.staff.nowManages' : 'workspace.staff.nowReadOnly') : 'workspace.staff.now';
      announce(t(key, { email: changed.email, role: roleWords(changed.role) }));
      redraw();
    } catch (failure) {
      if (failure.status === 401) return;
      error.textContent = failure.message;
    } finally {
      save.disabled = false;
    }
  });
  openModal(dialog, { opener, focus: roles.group.querySelector('input:checked'), fallback: () => document.getElementById('page-title') });
}
