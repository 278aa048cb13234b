import type { ApiRouter } from '../api-router';
import type { AppDeps } from '../../app-deps';
import { portalOf } from '../middleware/portal-auth';
import { parseInput } from '../validate';
import { getSettings, updateSettings } from '../../domain/settings/settings.service';
import { createPortalApiKey, listPortalApiKeys, revokePortalApiKey } from '../../domain/settings/portal-api-keys.service';
import { ZApiKeyCreate, ZApiKeyRevoke, ZSettingsUpdate } from '../../domain/settings/settings.schemas';

// The app's settings page (hubspot-app/app/settings): provider account, caller ids, calling
// defaults, pacing, write-back options, and the portal's API keys. The DNC list has its own API.
export function registerSettingsRoutes(api: ApiRouter, deps: AppDeps): void {
  const settingsDeps = {
    db: deps.db,
    cipher: deps.cipher,
    platformKeyAvailable: Boolean(deps.config.vapi.apiKey),
    platformRetell: { keyAvailable: Boolean(deps.config.retell.apiKey), agentId: deps.config.retell.agentId, fromNumber: deps.config.retell.fromNumber },
    planDefaults: deps.config.plan,
  };

  api.route('get', '/settings', "The portal's settings (the provider key itself is never returned).", async (req, res) => {
    res.json(await getSettings(settingsDeps, portalOf(req).portalId));
  });

  api.route('put', '/settings', 'Change settings (any part); all or nothing, every problem located.', async (req, res) => {
    res.json(await updateSettings(settingsDeps, portalOf(req).portalId, parseInput(ZSettingsUpdate, req.body, 'body')));
  });

  api.route('get', '/settings/api-keys', "The portal's API keys (without their values).", async (req, res) => {
    res.json(await listPortalApiKeys(deps.db, portalOf(req).portalId));
  });

  api.route('post', '/settings/api-keys', 'Create an API key; its value is shown in this answer only.', async (req, res) => {
    res.status(201).json(await createPortalApiKey(deps.db, portalOf(req).portalId, parseInput(ZApiKeyCreate, req.body, 'body').name));
  });

  api.route('post', '/settings/api-keys/revoke', 'Revoke one of the portal’s API keys ({keyId}).', async (req, res) => {
    res.json(await revokePortalApiKey(deps.db, portalOf(req).portalId, parseInput(ZApiKeyRevoke, req.body, 'body').keyId));
  });
}
