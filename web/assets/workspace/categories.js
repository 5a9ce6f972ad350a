// The categories of system notifications (the API's names, in the order the firm reads
// them), and their words: `workspace.category.<name>` (title) and `.hint` (what it covers).

import { t } from '../i18n.js';

export const CATEGORIES = [
  'documents_uploads',
  'documents_signatures',
  'documents_approvals',
  'chats_and_tasks',
  'proposals',
  'organizers',
  'invoices_and_payments',
];

/** "Documents, uploads" / "Documenten, uploads". */
export function categoryTitle(name) {
  return CATEGORIES.includes(name) ? t(`workspace.category.${name}`) : name;
}

/** What a category covers, in a sentence. */
export function categoryHint(name) {
  return CATEGORIES.includes(name) ? t(`workspace.category.${name}.hint`) : '';
}
