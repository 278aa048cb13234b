// Why a contact was not called, in words a HubSpot user can act on. The keys are the dialer's
// skip reasons (CampaignContact.skipReason) plus the ones this feature adds before dialing.
const WORDS: Record<string, string> = {
  invalid_number: 'The phone number cannot be called (not a valid, diallable number).',
  no_phone: 'The contact has no phone number to call.',
  dnc: 'The number is on the do-not-call list.',
  no_consent: "The contact has not given the consent to be called that this campaign requires.",
  outside_window: "It is outside the calling window in the contact's local time.",
  frequency_cap: 'The contact was already called as often as allowed today or this week.',
  max_attempts: 'The campaign already tried this contact the maximum number of times.',
  campaign_ended: 'The campaign has ended, so it places no more calls.',
  campaign_not_found: 'The campaign does not exist in this HubSpot account.',
  campaign_no_script: 'The campaign has no published script version to call with.',
  campaign_full: "The campaign already has as many contacts as this account's plan allows.",
  workflow_expired: 'The call could not be placed before the workflow stopped waiting for it.',
  app_not_installed: 'This HubSpot account has not installed the AI calling app.',
  provider_unavailable: 'No voice provider account is usable for this HubSpot account.',
};

export function skipReasonInWords(reason: string | null | undefined): string {
  if (!reason) return 'The contact was not called.';
  return WORDS[reason] ?? `The contact was not called (${reason.replace(/_/g, ' ')}).`;
}
