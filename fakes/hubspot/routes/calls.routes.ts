import express, { type Router } from 'express';
import type { FakeAccount, HubSpotFakeState } from '../state';
import { hubIdOf, paramOf, requireToken } from '../middleware';
import { notFound, validationError } from '../hubspot-errors';
import { createRecord, normaliseProperties, requestedProperties, toPublicObject } from '../crm-objects';

// Calls engagements (https://developers.hubspot.com/docs/api-reference/crm-calls-v3) and the
// v4 associations read. `hs_timestamp` is required on create; associations go in the create body
// as [{to:{id}, types:[{associationCategory, associationTypeId}]}]. 194 = call → contact
// (HUBSPOT_DEFINED); other type ids are refused here since the fake only models that pair.

const READ = ['crm.objects.contacts.read', 'crm.objects.contacts.write'];
const WRITE = ['crm.objects.contacts.write'];
export const CALL_TO_CONTACT = 194;

interface AssociationInput {
  to?: { id?: unknown };
  types?: Array<{ associationCategory?: unknown; associationTypeId?: unknown }>;
}

function checkAssociations(account: FakeAccount, input: unknown): string | AssociationInput[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) return 'associations must be an array';
  for (const a of input as AssociationInput[]) {
    const toId = String(a?.to?.id ?? '');
    if (!account.contacts.has(toId)) return `No CONTACT with id ${toId} to associate with.`;
    for (const t of a.types ?? []) {
      if (t.associationCategory !== 'HUBSPOT_DEFINED' || t.associationTypeId !== CALL_TO_CONTACT) {
        return `Association type ${String(t.associationCategory)}/${String(t.associationTypeId)} is not valid from CALL to CONTACT.`;
      }
    }
    if (!a.types?.length) return 'Each association needs at least one type.';
  }
  return input as AssociationInput[];
}

export function callRoutes(state: HubSpotFakeState): Router {
  const r = express.Router();

  r.post('/crm/v3/objects/calls', requireToken(state, WRITE), (req, res) => {
    const props = normaliseProperties(req.body?.properties);
    if (typeof props === 'string') return validationError(res, props);
    if (!props.hs_timestamp) {
      return validationError(res, 'Property values were not valid', [{ message: 'hs_timestamp is required', code: 'REQUIRED_FIELD', context: { propertyName: ['hs_timestamp'] } }]);
    }
    const account = state.account(hubIdOf(res));
    const assocs = checkAssociations(account, req.body?.associations);
    if (typeof assocs === 'string') return validationError(res, assocs);
    const record = createRecord(state, account.calls, props);
    for (const a of assocs) {
      account.associations.push({ fromType: 'calls', fromId: record.id, toType: 'contacts', toId: String(a.to!.id), category: 'HUBSPOT_DEFINED', typeId: CALL_TO_CONTACT });
    }
    res.status(201).json(toPublicObject(record, 'calls', Object.keys(props)));
  });

  r.get('/crm/v3/objects/calls/:callId', requireToken(state, READ), (req, res) => {
    const record = state.account(hubIdOf(res)).calls.get(paramOf(req, 'callId'));
    if (!record) return notFound(res, 'Object not found.  objectId are usually numeric.', { id: [paramOf(req, 'callId')] });
    res.json(toPublicObject(record, 'calls', requestedProperties(req.query.properties)));
  });

  r.get('/crm/v4/objects/calls/:callId/associations/contacts', requireToken(state, READ), (req, res) => {
    const account = state.account(hubIdOf(res));
    if (!account.calls.has(paramOf(req, 'callId'))) return notFound(res, 'Object not found.  objectId are usually numeric.');
    const results = account.associations
      .filter((a) => a.fromType === 'calls' && a.fromId === paramOf(req, 'callId') && a.toType === 'contacts')
      .map((a) => ({ toObjectId: Number(a.toId), associationTypes: [{ category: a.category, typeId: a.typeId, label: null }] }));
    res.json({ results });
  });

  return r;
}
