import express, { type Router } from 'express';
import type { HubSpotFakeState } from '../state';
import { hubIdOf, paramOf, requireToken } from '../middleware';
import { notFound, sendApiError, validationError } from '../hubspot-errors';
import { createRecord, findContactByEmail, normaliseProperties, requestedProperties, toPublicObject, updateRecord } from '../crm-objects';

// CRM contacts v3 (https://developers.hubspot.com/docs/api-reference/crm-contacts-v3):
// create 201, read 200 / 404, update 200, batch read 200 (all found) or 207 (some missing),
// at most 100 inputs per batch.

const READ = ['crm.objects.contacts.read', 'crm.objects.contacts.write'];
const WRITE = ['crm.objects.contacts.write'];
export const BATCH_LIMIT = 100;

// HubSpot's own wording for a missing record.
const OBJECT_NOT_FOUND = 'Object not found.  objectId are usually numeric.';

export function contactRoutes(state: HubSpotFakeState): Router {
  const r = express.Router();
  const base = '/crm/v3/objects/contacts';

  r.post(base, requireToken(state, WRITE), (req, res) => {
    const props = normaliseProperties(req.body?.properties);
    if (typeof props === 'string') return validationError(res, props);
    const account = state.account(hubIdOf(res));
    const existing = props.email ? findContactByEmail(account, props.email) : undefined;
    if (existing) return sendApiError(res, 409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
    const record = createRecord(state, account.contacts, props);
    res.status(201).json(toPublicObject(record, 'contacts', Object.keys(props)));
  });

  r.post(`${base}/batch/read`, requireToken(state, READ), (req, res) => {
    const body = req.body as { inputs?: Array<{ id?: unknown }>; properties?: unknown; idProperty?: unknown };
    if (!Array.isArray(body?.inputs)) return validationError(res, 'inputs is required and must be an array');
    if (body.inputs.length > BATCH_LIMIT) return validationError(res, `Batch input size ${body.inputs.length} exceeds the limit of ${BATCH_LIMIT}.`);
    if (body.idProperty !== undefined && body.idProperty !== 'hs_object_id') return validationError(res, 'The fake supports reading by record id only.');
    const account = state.account(hubIdOf(res));
    const wanted = Array.isArray(body.properties) ? body.properties.map(String) : undefined;
    const startedAt = new Date().toISOString();
    const results = [];
    const missing: string[] = [];
    for (const input of body.inputs) {
      const id = String(input?.id ?? '');
      const record = account.contacts.get(id);
      if (record) results.push(toPublicObject(record, 'contacts', wanted));
      else missing.push(id);
    }
    const completedAt = new Date().toISOString();
    if (!missing.length) return void res.status(200).json({ status: 'COMPLETE', results, startedAt, completedAt });
    res.status(207).json({
      status: 'COMPLETE',
      results,
      numErrors: 1,
      errors: [
        {
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          message: 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.',
          context: { ids: missing },
        },
      ],
      startedAt,
      completedAt,
    });
  });

  r.get(`${base}/:contactId`, requireToken(state, READ), (req, res) => {
    const record = state.account(hubIdOf(res)).contacts.get(paramOf(req, 'contactId'));
    if (!record) return notFound(res, OBJECT_NOT_FOUND, { id: [paramOf(req, 'contactId')] });
    res.json(toPublicObject(record, 'contacts', requestedProperties(req.query.properties)));
  });

  r.patch(`${base}/:contactId`, requireToken(state, WRITE), (req, res) => {
    const props = normaliseProperties(req.body?.properties);
    if (typeof props === 'string') return validationError(res, props);
    const record = state.account(hubIdOf(res)).contacts.get(paramOf(req, 'contactId'));
    if (!record) return notFound(res, OBJECT_NOT_FOUND, { id: [paramOf(req, 'contactId')] });
    updateRecord(record, props);
    res.json(toPublicObject(record, 'contacts', Object.keys(props)));
  });

  return r;
}
