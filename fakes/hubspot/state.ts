import crypto from 'node:crypto';

// Everything the HubSpot fake knows, in memory, inspectable by tests: accounts (one per hub id)
// with their CRM records, the OAuth grants it has issued, the request log and injected faults.

export interface FakeRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
}

export interface FakeAssociation {
  fromType: string;
  fromId: string;
  toType: string;
  toId: string;
  category: string;
  typeId: number;
}

/** How HubSpot keeps a list's members (https://developers.hubspot.com/docs/api/crm/lists). */
export type FakeListProcessingType = 'MANUAL' | 'DYNAMIC' | 'SNAPSHOT';

export interface FakeList {
  listId: string;
  name: string;
  /** 0-1 contacts, 0-2 companies, … */
  objectTypeId: string;
  processingType: FakeListProcessingType;
  createdAt: string;
  members: Array<{ recordId: string; membershipTimestamp: string }>;
}

export interface FakeCallbackCompletion {
  callbackId: string;
  outputFields: Record<string, unknown>;
  at: string;
}

export interface FakeAccount {
  hubId: number;
  hubDomain: string;
  contacts: Map<string, FakeRecord>;
  calls: Map<string, FakeRecord>;
  lists: Map<string, FakeList>;
  associations: FakeAssociation[];
  /** Callback ids HubSpot has handed to the app (a workflow enrolled a record), and completions. */
  pendingCallbacks: Set<string>;
  completedCallbacks: FakeCallbackCompletion[];
}

export interface FakeGrant {
  hubId: number;
  scopes: string[];
  clientId: string;
  userId: number;
  user: string;
}

export interface FakeAccessToken extends FakeGrant {
  expiresAt: number;
}

export interface FakeAuthCode extends FakeGrant {
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

export interface FakeRequestLogEntry {
  method: string;
  path: string;
  query: Record<string, unknown>;
  status: number;
  hubId?: number;
  body?: unknown;
  at: number;
}

export interface FakeFault {
  status: number;
  remaining: number;
  method?: string;
  path?: RegExp;
  retryAfterSeconds?: number;
}

export interface FakeAppSettings {
  clientId: string;
  clientSecret: string;
  appId: number;
  accessTokenTtlSeconds: number;
  /** HubSpot's burst limit per account (research/hubspot.md §4.4); 0 turns enforcement off. */
  rateLimit: { max: number; windowMs: number };
}

const newToken = (prefix: string) => `${prefix}${crypto.randomBytes(24).toString('base64url')}`;

export class HubSpotFakeState {
  readonly accounts = new Map<number, FakeAccount>();
  readonly authCodes = new Map<string, FakeAuthCode>();
  readonly accessTokens = new Map<string, FakeAccessToken>();
  readonly refreshTokens = new Map<string, FakeGrant & { revoked: boolean }>();
  readonly requests: FakeRequestLogEntry[] = [];
  readonly faults: FakeFault[] = [];
  latencyMs = 0;
  private nextId = 100_000;
  private readonly hits = new Map<number, number[]>();

  constructor(readonly app: FakeAppSettings) {}

  newId(): string {
    this.nextId += 1;
    return String(this.nextId);
  }

  account(hubId: number): FakeAccount {
    let a = this.accounts.get(hubId);
    if (!a) {
      a = {
        hubId,
        hubDomain: `fake-${hubId}.hubspot.test`,
        contacts: new Map(),
        calls: new Map(),
        lists: new Map(),
        associations: [],
        pendingCallbacks: new Set(),
        completedCallbacks: [],
      };
      this.accounts.set(hubId, a);
    }
    return a;
  }

  issueAuthCode(grant: FakeGrant & { redirectUri: string }): string {
    const code = newToken('code-');
    this.authCodes.set(code, { ...grant, expiresAt: Date.now() + 5 * 60_000, used: false });
    return code;
  }

  issueAccessToken(grant: FakeGrant, ttlSeconds = this.app.accessTokenTtlSeconds): { token: string; expiresIn: number } {
    const token = newToken('fake-at-');
    this.accessTokens.set(token, { ...grant, expiresAt: Date.now() + ttlSeconds * 1000 });
    return { token, expiresIn: ttlSeconds };
  }

  issueRefreshToken(grant: FakeGrant): string {
    const token = newToken('fake-rt-');
    this.refreshTokens.set(token, { ...grant, revoked: false });
    return token;
  }

  /** A ready-made token for tests that do not go through OAuth (like a private app's token). */
  grantAccess(opts: { hubId: number; scopes?: string[]; ttlSeconds?: number }): string {
    const scopes = opts.scopes ?? ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.schemas.contacts.read', 'crm.schemas.contacts.write', 'crm.lists.read', 'automation'];
    this.account(opts.hubId);
    return this.issueAccessToken({ hubId: opts.hubId, scopes, clientId: this.app.clientId, userId: 1, user: 'owner@fake.test' }, opts.ttlSeconds).token;
  }

  /** Makes every current access token of an account invalid (HubSpot answers 401 until a refresh). */
  expireAccessTokens(hubId: number): void {
    for (const [token, t] of this.accessTokens) if (t.hubId === hubId) this.accessTokens.set(token, { ...t, expiresAt: Date.now() - 1000 });
  }

  /** The app was uninstalled: its refresh tokens stop working. */
  revokeRefreshTokens(hubId: number): void {
    for (const [token, t] of this.refreshTokens) if (t.hubId === hubId) this.refreshTokens.set(token, { ...t, revoked: true });
  }

  failNext(fault: Omit<FakeFault, 'remaining'> & { count?: number }): void {
    this.faults.push({ ...fault, remaining: fault.count ?? 1 });
  }

  takeFault(method: string, path: string): FakeFault | undefined {
    const f = this.faults.find((x) => x.remaining > 0 && (!x.method || x.method === method) && (!x.path || x.path.test(path)));
    if (f) f.remaining -= 1;
    return f;
  }

  /** Rolling-window count per account; returns the requests left, or -1 when over the limit. */
  hit(hubId: number, now = Date.now()): number {
    const { max, windowMs } = this.app.rateLimit;
    if (max <= 0) return Number.MAX_SAFE_INTEGER;
    const recent = (this.hits.get(hubId) ?? []).filter((t) => t > now - windowMs);
    if (recent.length >= max) {
      this.hits.set(hubId, recent);
      return -1;
    }
    recent.push(now);
    this.hits.set(hubId, recent);
    return max - recent.length;
  }

  log(entry: FakeRequestLogEntry): void {
    this.requests.push(entry);
  }

  /** How many requests matched (method and a path pattern), optionally only with a given status. */
  count(method: string, path: RegExp | string, status?: number): number {
    return this.requests.filter(
      (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)) && (status === undefined || r.status === status),
    ).length;
  }

  reset(): void {
    this.accounts.clear();
    this.authCodes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.requests.length = 0;
    this.faults.length = 0;
    this.hits.clear();
    this.latencyMs = 0;
  }
}
