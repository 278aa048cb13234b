import { z } from 'zod';

// Permissive zod schemas for what Vapi sends us (webhook bodies, GET /call, POST /call 201).
// Real payloads carry fields the SDK types omit and omit fields the SDK calls required
// (research/vapi.md §3.4, SDK issue #20), so: unknown keys pass through, and a leaf of the wrong
// type becomes null instead of failing the whole event. We validate only what we branch on.

const optString = z.string().nullish().catch(null);
const optNumber = z.number().finite().nullish().catch(null);
const looseRecord = z.record(z.string(), z.unknown()).nullish().catch(null);

export const ZVapiArtifact = z.looseObject({
  transcript: optString,
  messages: z.array(z.unknown()).nullish().catch(null),
  recordingUrl: optString,
  stereoRecordingUrl: optString,
  recording: z
    .looseObject({ stereoUrl: optString, mono: z.looseObject({ combinedUrl: optString }).nullish().catch(null) })
    .nullish()
    .catch(null),
  structuredOutputs: looseRecord,
});

export const ZVapiAnalysis = z.looseObject({
  summary: optString,
  structuredData: looseRecord,
  // A string in the SDK type, but its content depends on the rubric ("true", "8", …).
  successEvaluation: z
    .union([z.string(), z.number(), z.boolean()])
    .transform((v) => String(v))
    .nullish()
    .catch(null),
});

/** The Call object: GET /call/:id, list items, POST /call 201, and message.call snapshots. */
export const ZVapiCall = z.looseObject({
  id: z.string().min(1),
  status: optString,
  createdAt: optString,
  startedAt: optString,
  endedAt: optString,
  endedReason: optString,
  cost: optNumber,
  assistantOverrides: z.looseObject({ metadata: looseRecord }).nullish().catch(null),
  customer: z.looseObject({ number: optString }).nullish().catch(null),
  artifact: ZVapiArtifact.nullish().catch(null),
  analysis: ZVapiAnalysis.nullish().catch(null),
  // Legacy top-level copies, present in real payloads.
  transcript: optString,
  summary: optString,
  recordingUrl: optString,
  stereoRecordingUrl: optString,
  messages: z.array(z.unknown()).nullish().catch(null),
});
export type TVapiCall = z.infer<typeof ZVapiCall>;

/** POST /call 201: a Call plus subscriptionLimits, which the SDK's Call type does not declare. */
export const ZVapiCreateResponse = ZVapiCall.extend({
  subscriptionLimits: z
    .looseObject({ concurrencyBlocked: z.boolean().nullish().catch(null), concurrencyLimit: optNumber, remainingConcurrentCalls: optNumber })
    .nullish()
    .catch(null),
});

/** The envelope every server message shares: { message: { type, call, timestamp, … } }. */
export const ZVapiEnvelope = z.object({
  message: z.looseObject({
    type: z.string().min(1),
    timestamp: optNumber,
    call: ZVapiCall.nullish().catch(null),
  }),
});

export const ZStatusUpdate = z.looseObject({ status: optString, endedReason: optString });

export const ZEndOfCallReport = z.looseObject({
  endedReason: optString,
  startedAt: optString,
  endedAt: optString,
  cost: optNumber,
  durationSeconds: optNumber,
  durationMs: optNumber,
  artifact: ZVapiArtifact.nullish().catch(null),
  analysis: ZVapiAnalysis.nullish().catch(null),
  transcript: optString,
  summary: optString,
  recordingUrl: optString,
  stereoRecordingUrl: optString,
  messages: z.array(z.unknown()).nullish().catch(null),
});
export type TEndOfCallReport = z.infer<typeof ZEndOfCallReport>;

export const ZTranscript = z.looseObject({ role: optString, transcriptType: optString, transcript: optString });

// Tool calls arrive in two spellings (docs: {id,name,parameters}; SDK: {id,function:{name,arguments}}).
const ZToolCallItem = z.looseObject({
  id: optString,
  name: optString,
  parameters: z.unknown().optional(),
  function: z.looseObject({ name: optString, arguments: z.unknown().optional() }).nullish().catch(null),
});
export const ZToolCalls = z.looseObject({
  toolCallList: z.array(ZToolCallItem).nullish().catch(null),
  toolWithToolCallList: z
    .array(z.looseObject({ name: optString, function: z.looseObject({ name: optString }).nullish().catch(null), toolCall: ZToolCallItem.nullish().catch(null) }))
    .nullish()
    .catch(null),
});
