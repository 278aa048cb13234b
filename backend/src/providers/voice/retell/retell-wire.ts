import { z } from 'zod';

// The parts of Retell's call object and webhook bodies we read (retell-sdk 5.66.1
// PhoneCallResponse / V3PhoneCallResponse, webhook body {event, call}). Loose on purpose: unknown
// fields pass through, a malformed leaf becomes null instead of failing the whole body.

const str = z.string().nullish().catch(null);
const num = z.number().nullish().catch(null);

export const ZRetellCall = z
  .object({
    call_id: z.string().min(1),
    call_status: str,
    call_type: str,
    direction: str,
    from_number: str,
    to_number: str,
    agent_id: str,
    metadata: z.unknown().optional(),
    retell_llm_dynamic_variables: z.record(z.string(), z.unknown()).nullish().catch(null),
    disconnection_reason: str,
    start_timestamp: num,
    end_timestamp: num,
    duration_ms: num,
    transcript: str,
    transcript_object: z.array(z.unknown()).nullish().catch(null),
    transcript_with_tool_calls: z.array(z.unknown()).nullish().catch(null),
    recording_url: str,
    recording_multi_channel_url: str,
    call_cost: z.object({ combined_cost: z.number().nullish() }).passthrough().nullish().catch(null),
    call_analysis: z
      .object({
        call_summary: str,
        call_successful: z.boolean().nullish().catch(null),
        in_voicemail: z.boolean().nullish().catch(null),
        user_sentiment: str,
        custom_analysis_data: z.unknown().optional(),
      })
      .passthrough()
      .nullish()
      .catch(null),
  })
  .passthrough();
export type TRetellCall = z.infer<typeof ZRetellCall>;

export const ZRetellWebhook = z.object({ event: z.string().min(1), call: z.unknown().optional() }).passthrough();

export const ZRetellList = z.object({ items: z.array(z.unknown()), has_more: z.boolean().optional(), pagination_key: z.string().nullish() }).passthrough();

/** A custom-function request: {name, call, args} (Retell's "args at root" off). */
export const ZRetellFunctionCall = z
  .object({ name: z.string().min(1), call: z.unknown().optional(), args: z.record(z.string(), z.unknown()).nullish().catch(null) })
  .passthrough();
