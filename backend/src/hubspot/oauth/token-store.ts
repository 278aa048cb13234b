import type { Db } from '../../platform/prisma';
import type { Cipher } from '../../platform/crypto';
import type { TokenSet } from './oauth-client';

// A portal's HubSpot tokens at rest: sealed with the app's AES-256-GCM cipher in the Portal row,
// with their expiry and granted scopes. Nothing else reads or writes these columns.
// "Reinstall required" is a portal that was installed (installedAt) but holds no refresh token:
// the tokens are cleared when HubSpot declares the grant dead, so nothing keeps retrying it.

export type StoredTokens =
  | { state: 'ok'; accessToken: string; refreshToken: string; refreshTokenSealed: string; expiresAt: Date }
  | { state: 'not_installed' | 'reinstall_required' };

export async function loadTokens(db: Db, cipher: Cipher, portalId: string): Promise<StoredTokens> {
  const p = await db.portal.findUnique({
    where: { id: portalId },
    select: { accessTokenEnc: true, refreshTokenEnc: true, tokenExpiresAt: true, installedAt: true },
  });
  if (!p?.refreshTokenEnc) return { state: p?.installedAt ? 'reinstall_required' : 'not_installed' };
  return {
    state: 'ok',
    accessToken: p.accessTokenEnc ? cipher.decrypt(p.accessTokenEnc) : '',
    refreshToken: cipher.decrypt(p.refreshTokenEnc),
    refreshTokenSealed: p.refreshTokenEnc,
    // No recorded expiry: treat as expired so the first use refreshes.
    expiresAt: p.tokenExpiresAt ?? new Date(0),
  };
}

const sealed = (cipher: Cipher, tokens: TokenSet, now: number) => ({
  accessTokenEnc: cipher.encrypt(tokens.accessToken),
  refreshTokenEnc: cipher.encrypt(tokens.refreshToken),
  tokenExpiresAt: new Date(now + tokens.expiresInSec * 1000),
});

export async function saveRefreshedTokens(db: Db, cipher: Cipher, portalId: string, tokens: TokenSet, now = Date.now()): Promise<Date> {
  const data = sealed(cipher, tokens, now);
  await db.portal.update({ where: { id: portalId }, data });
  return data.tokenExpiresAt;
}

/** Clears the dead grant, unless a reinstall has stored a different refresh token meanwhile. */
export async function markReinstallRequired(db: Db, portalId: string, deadRefreshTokenSealed: string): Promise<void> {
  await db.portal.updateMany({
    where: { id: portalId, refreshTokenEnc: deadRefreshTokenSealed },
    data: { accessTokenEnc: null, refreshTokenEnc: null, tokenExpiresAt: null },
  });
}

/** Creates the portal for a hub id, or gives an existing one its new tokens (a reinstall). */
export async function saveInstall(
  db: Db,
  cipher: Cipher,
  input: { hubId: number; name: string; tokens: TokenSet; scopes: string[] },
  now = Date.now(),
): Promise<{ portalId: string; created: boolean }> {
  const hubId = BigInt(input.hubId);
  const existing = await db.portal.findUnique({ where: { hubId }, select: { id: true } });
  const data = { ...sealed(cipher, input.tokens, now), scopes: input.scopes, installedAt: new Date(now) };
  const portal = await db.portal.upsert({
    where: { hubId },
    create: { hubId, name: input.name, ...data },
    update: data,
    select: { id: true },
  });
  return { portalId: portal.id, created: !existing };
}
