import { Client } from '@hubspot/api-client';

// The only place that constructs @hubspot/api-client. Two SDK behaviours shape it
// (research/hubspot.md §4.2):
//  1. Retries and throttling are ours (BullMQ + the Redis limiter), so the SDK gets
//     numberOfApiCallRetries: 0 and no limiterOptions.
//  2. The SDK keeps its retry/limiter decorators in a PROCESS-GLOBAL singleton: every `new Client`
//     overwrites it, and an API object picks up whatever is in it when its discovery is first
//     touched. A client built elsewhere with retries would otherwise leak them into ours. So we
//     touch every API we use synchronously, right after our constructor set "no decorators";
//     nothing can run in between on Node's single thread.

export interface SdkApis {
  contactsBasic: Client['crm']['contacts']['basicApi'];
  contactsBatch: Client['crm']['contacts']['batchApi'];
  listMemberships: Client['crm']['lists']['membershipsApi'];
  lists: Client['crm']['lists']['listsApi'];
  callsBasic: Client['crm']['objects']['calls']['basicApi'];
  callbacks: Client['automation']['actions']['callbacksApi'];
  oauthTokens: Client['oauth']['tokensApi'];
  oauthAccessTokens: Client['oauth']['accessTokensApi'];
}

export function createSdkApis(opts: { basePath: string; accessToken?: string }): SdkApis {
  const client = new Client({
    basePath: opts.basePath,
    ...(opts.accessToken ? { accessToken: opts.accessToken } : {}),
    numberOfApiCallRetries: 0,
  });
  return {
    contactsBasic: client.crm.contacts.basicApi,
    contactsBatch: client.crm.contacts.batchApi,
    listMemberships: client.crm.lists.membershipsApi,
    lists: client.crm.lists.listsApi,
    callsBasic: client.crm.objects.calls.basicApi,
    callbacks: client.automation.actions.callbacksApi,
    oauthTokens: client.oauth.tokensApi,
    oauthAccessTokens: client.oauth.accessTokensApi,
  };
}

/**
 * API objects per access token. A portal's token changes every 30 minutes, so a small cache keyed
 * by token avoids rebuilding the SDK's discovery objects on every call.
 */
export function createSdkApiCache(basePath: string, maxEntries = 500) {
  const cache = new Map<string, SdkApis>();
  return (accessToken: string): SdkApis => {
    let apis = cache.get(accessToken);
    if (!apis) {
      apis = createSdkApis({ basePath, accessToken });
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
      cache.set(accessToken, apis);
    }
    return apis;
  };
}
