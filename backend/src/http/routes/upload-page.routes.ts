import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Express, Request, Response } from 'express';
import type { AppDeps } from '../../app-deps';
import type { ApiRouter } from '../api-router';
import { AppError } from '../../platform/app-error';
import { portalOf } from '../middleware/portal-auth';
import type { RequestLimits } from '../middleware/rate-limit';
import { parseId, parseInput } from '../validate';
import { readCsvUpload } from './csv-upload';
import { renderUploadPage, renderUploadRefusal } from './upload-page.view';
import { ZImportOptions } from '../../domain/imports/import-options';
import { createCsvImport, getImport } from '../../domain/imports/import.service';
import { createUploadTokenSigner, uploadTokenKey } from '../../domain/uploads/upload-token';
import { firstRejectedRows } from '../../domain/uploads/upload-rejected-rows';

// The CSV upload page HubSpot shows in an iframe modal (hubspot.fetch cannot carry a file):
// - POST /api/v1/upload-tokens (a signed card request): a 10-minute token for the portal, and the URL;
// - GET /upload?token=…: the page; its script sends the file, then polls, with the token as a Bearer;
// - POST /upload/imports, GET /upload/imports/:importId[/rejected]: the import API, token-authenticated.
// The page may be framed by HubSpot only, runs only our own script, and talks only to us.

const FRAME_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "form-action 'none'",
  "base-uri 'none'",
  'frame-ancestors https://*.hubspot.com https://*.hubspotqa.com',
].join('; ');

const CLIENT_JS = fs.readFileSync(path.join(__dirname, 'upload-page.client.js'), 'utf8');
const ZTokenRequest = z.object({}).strip();

/** `limits`: the app's request limits (app.ts), so the page counts against the same portal budget. */
export function registerUploadPageRoutes(app: Express, api: ApiRouter, deps: AppDeps, limits: RequestLimits): void {
  const tokens = createUploadTokenSigner(uploadTokenKey(deps.config.encryptionKey));
  const baseUrl = (req: Request) => deps.config.publicBaseUrl ?? `${req.protocol}://${req.get('host')}`;
  const framed = (res: Response) => {
    res.removeHeader('X-Frame-Options');
    res.setHeader('Content-Security-Policy', FRAME_CSP);
    res.setHeader('Cache-Control', 'no-store');
  };
  /** The portal of the request's upload token (counted against its request limit), or a 401 in words (the rest of the body is not read). */
  const portalFromToken = async (req: Request, res: Response): Promise<string> => {
    const check = tokens.verify(req.get('authorization')?.replace(/^Bearer\s+/i, '').trim());
    if (check.ok) {
      try {
        await limits.consumePortal(check.portalId);
      } catch (err) {
        res.setHeader('Connection', 'close');
        throw err;
      }
      return check.portalId;
    }
    res.setHeader('Connection', 'close');
    const words = check.reason === 'expired' ? 'The upload link has expired (links last 10 minutes); open the upload again from HubSpot.' : 'This upload link is not valid; open the upload again from HubSpot.';
    throw new AppError(`UPLOAD_TOKEN_${check.reason.toUpperCase()}`, 401, words);
  };

  api.route('post', '/upload-tokens', 'A 10-minute link to the CSV upload page for this portal (for HubSpot’s iframe modal).', async (req, res) => {
    parseInput(ZTokenRequest, req.body ?? {}, 'body');
    const { token, expiresAt } = tokens.issue(portalOf(req).portalId);
    res.status(201).json({ url: `${baseUrl(req)}/upload?token=${encodeURIComponent(token)}`, expiresAt: new Date(expiresAt).toISOString() });
  });

  app.get('/upload', (req, res) => {
    framed(res);
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    const check = tokens.verify(token);
    if (!check.ok) {
      res.status(401).type('html').send(renderUploadRefusal(check.reason === 'expired' ? 'This upload link has expired. Close this window and open the upload again from HubSpot.' : 'This upload link is not valid. Close this window and open the upload again from HubSpot.'));
      return;
    }
    res.type('html').send(renderUploadPage({ token: token!, expiresAt: check.expiresAt, maxBytes: deps.config.imports.maxUploadBytes }));
  });

  app.get('/upload/upload-page.js', (_req, res) => {
    framed(res);
    res.type('application/javascript').send(CLIENT_JS);
  });

  app.post('/upload/imports', async (req, res) => {
    const portalId = await portalFromToken(req, res);
    try {
      const upload = await readCsvUpload(req);
      const options = parseInput(ZImportOptions, upload.fields, 'body');
      const { view, reused } = await createCsvImport(deps, { portalId, file: upload.file, declaredBytes: upload.declaredBytes, options });
      res.status(reused ? 200 : 202).json(view);
    } catch (err) {
      res.setHeader('Connection', 'close');
      req.unpipe();
      throw err;
    }
  });

  app.get('/upload/imports/:importId', async (req, res) => {
    const portalId = await portalFromToken(req, res);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await getImport(deps.db, portalId, parseId(req.params.importId, 'import')));
  });

  app.get('/upload/imports/:importId/rejected', async (req, res) => {
    const portalId = await portalFromToken(req, res);
    res.json(await firstRejectedRows(deps.db, portalId, parseId(req.params.importId, 'import')));
  });
}
