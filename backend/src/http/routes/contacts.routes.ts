import type { ApiRouter } from '../api-router';
import type { AppDeps } from '../../app-deps';
import { portalOf } from '../middleware/portal-auth';
import { parseId, parseInput } from '../validate';
import { getContact, listContacts, ZContactListQuery } from '../../domain/contacts/contact.service';
import { getConsent, setConsent, ZConsentUpdate } from '../../domain/compliance/consent.service';
import { listContactAudit, openContactAuditCsv, ZAuditQuery } from '../../domain/compliance/attempt-audit.service';
import { eraseContact } from '../../domain/privacy/contact-erasure.service';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export function registerContactRoutes(api: ApiRouter, deps: AppDeps): void {
  const { db } = deps;

  api.route('get', '/contacts', 'List contacts, newest first (limit, cursor; filter by phone, email or importId).', async (req, res) => {
    res.json(await listContacts(db, portalOf(req).portalId, parseInput(ZContactListQuery, req.query, 'query')));
  });

  api.route('get', '/contacts/:contactId', 'Read a contact.', async (req, res) => {
    res.json(await getContact(db, portalOf(req).portalId, parseId(req.params.contactId, 'contact')));
  });

  api.route('delete', '/contacts/:contactId', "Erase a contact's personal data everywhere (contact, calls' content, raw events, outbox, workflow payloads, rejected rows, uploaded files); anonymous call figures and the do-not-call entry stay.", async (req, res) => {
    res.json(await eraseContact(db, portalOf(req).portalId, parseId(req.params.contactId, 'contact')));
  });

  api.route('get', '/contacts/:contactId/consent', "A contact's consent to be called (type, source, time).", async (req, res) => {
    res.json(await getConsent(db, portalOf(req).portalId, parseId(req.params.contactId, 'contact')));
  });

  api.route('get', '/contacts/:contactId/audit', "The contact's audit trail: per attempt, the consent relied on, the DNC check and its time, local time at dial, script version and variant, who started the campaign (newest first; limit, cursor).", async (req, res) => {
    const { portalId } = portalOf(req);
    const contactId = parseId(req.params.contactId, 'contact');
    res.json(await listContactAudit(db, portalId, contactId, parseInput(ZAuditQuery, req.query, 'query')));
  });

  api.route('get', '/contacts/:contactId/audit.csv', "The contact's whole audit trail as CSV (one row per attempt).", async (req, res) => {
    const csv = await openContactAuditCsv(db, portalOf(req).portalId, parseId(req.params.contactId, 'contact'));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${csv.fileName}"`);
    await pipeline(Readable.from(csv.lines), res);
  });

  api.route('put', '/contacts/:contactId/consent', "Set a contact's consent: type none/express/written, source, at.", async (req, res) => {
    const contactId = parseId(req.params.contactId, 'contact');
    res.json(await setConsent(db, portalOf(req).portalId, contactId, () => parseInput(ZConsentUpdate, req.body, 'body')));
  });
}
