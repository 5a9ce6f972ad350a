// Settings, Staff (#/settings/staff): the firm's staff page by page (GET /v1/staff), an
// invitation form (POST /v1/staff) and a role dialog (PATCH /v1/staff/{staff_id}). Owner
// and admins only may invite or change; the owner's role never changes.

import { announce, h, openModal } from '../dom.js';
import { call, me } from './context.js';
import { ADMIN_ONLY_REASON, clearErrors, field, placeErrors, put, readOnlyNote, uid } from './settings-common.js';
import { emptyState, pagedList, pageTitle, timeElement } from './ui.js';

const ROLES = { owner: 'Owner', admin: 'Admin', employee: 'Employee' };
const ROLE_HINT = 'Admins may do everything, settings included. Employees read everything; with the manage accounts right they may also change contacts, links, switches and preferences.';
const NOT_VERIFIED =
  'The invitation was not sent: the firm’s address is not confirmed yet. Until the owner opens the ' +
  'link we emailed to them when the firm was created, the firm emails nobody else. The owner can ask ' +
  'for a new link from the firm’s settings page.';

export function render(body) {
  const user = me();
  const title = pageTitle('Staff');
  const listHolder = h('div', { id: 'staff-list' });
  put(body, 
    h('div', { class: 'page-head' }, title, h('p', { class: 'muted', text: 'Who works in this workspace, with what role. ' + ROLE_HINT })),
    user.isAdmin ? null : readOnlyNote('staff-read-only', ADMIN_ONLY_REASON),
    user.isAdmin ? inviteForm(() => draw()) : null,
    h('section', { class: 'panel', 'aria-labelledby': 'staff-list-title' }, h('h2', { id: 'staff-list-title', text: 'Members' }), listHolder),
  );
  title.focus();
  const draw = () =>
    listHolder.replaceChildren(
      pagedList({
        label: 'Staff members',
        listClass: 'item-list staff-list',
        more: 'Show more staff',
        load: (cursor) => call(`/v1/staff?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
        item: (member) => staffItem(member, user, draw),
        empty: () => emptyState('No staff yet'),
      }),
    );
  draw();
}

function statusWords(member) {
  if (member.status === 'active') return h('span', { class: 'chip chip-active', text: 'Active' });
  return h('span', {}, h('span', { class: 'chip chip-invited', text: 'Invited' }), member.invited_at ? h('span', { class: 'muted small' }, ' ', timeElement(member.invited_at)) : null);
}

function staffItem(member, user, redraw) {
  const role = ROLES[member.role] || member.role;
  const rights = member.role === 'employee' ? (member.manage_accounts ? 'manages accounts' : 'read only') : 'full access';
  const change =
    user.isAdmin && member.role !== 'owner'
      ? h('button', {
          type: 'button',
          class: 'link',
          text: 'Change role',
          'aria-label': `Change the role of ${member.email}`,
          onclick: (event) => openRole(member, event.currentTarget, redraw),
        })
      : member.role === 'owner'
        ? h('span', { class: 'muted small', text: 'The owner’s role cannot change.' })
        : null;
  return h(
    'li',
    { class: 'staff-row', dataset: { staffId: member.staff_id } },
    h('span', { class: 'staff-email', text: member.email }),
    h('span', { class: 'staff-role' }, h('strong', { text: role }), h('span', { class: 'muted small', text: `, ${rights}` })),
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
    h('legend', { text: 'Role' }),
    ...['employee', 'admin'].map((value) => {
      const id = uid(`${prefix}-${value}`);
      const input = h('input', { type: 'radio', id, name, value, checked: role === value });
      input.defaultChecked = role === value;
      return h('div', { class: 'choice' }, input, h('label', { for: id, text: ROLES[value] }));
    }),
    h('p', { class: 'error collapse', dataset: { errorPath: 'role' } }),
  );
  const manageField = h(
    'div',
    { class: 'field choice' },
    manageBox,
    h('label', { for: manageId, text: 'May manage accounts (change contacts, links, switches, preferences)' }),
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
  const send = h('button', { type: 'submit', class: 'primary', text: 'Send invitation' });
  const form = h(
    'form',
    { class: 'panel', novalidate: true, 'aria-labelledby': 'invite-title' },
    h('h2', { id: 'invite-title', text: 'Invite a staff member' }),
    h('p', { class: 'muted small', text: 'They get an email with a link to set their password and sign in here.' }),
    field({ label: 'Email', control: email, path: 'email' }),
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
      placeErrors(form, [{ name: 'email', message: 'Enter the address to invite.' }]);
      email.focus();
      return;
    }
    send.disabled = true;
    send.textContent = 'Sending…';
    try {
      await call('/v1/staff', { method: 'POST', body: { email: address, ...roles.value() } });
      form.reset();
      roles.group.dispatchEvent(new Event('change'));
      done.textContent = `Invitation sent to ${address}.`;
      redraw();
    } catch (failure) {
      if (failure.status === 401) return;
      if (failure.code === 'firm_not_verified') {
        error.textContent = NOT_VERIFIED;
        return;
      }
      const { first, unplaced } = placeErrors(form, failure.fields);
      error.textContent = failure.fields && failure.fields.length ? ['Check the fields marked.', ...unplaced].join(' ') : failure.message;
      if (first) first.focus();
    } finally {
      send.disabled = false;
      send.textContent = 'Send invitation';
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
  const save = h('button', { type: 'submit', class: 'primary', text: 'Save role' });
  const cancel = h('button', { type: 'button', text: 'Cancel' });
  const form = h(
    'form',
    { method: 'dialog', novalidate: true },
    h('h2', { id: 'role-dialog-title', text: 'Change role' }),
    h('p', { id: 'role-dialog-text', text: `${member.email}. The new role applies from their next sign-in.` }),
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
      announce(`${changed.email} is now ${ROLES[changed.role] || changed.role}${changed.role === 'employee' ? (changed.manage_accounts ? ' who manages accounts' : ', read only') : ''}.`);
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
