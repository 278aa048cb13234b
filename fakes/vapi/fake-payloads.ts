import type { FakeCall } from './fake-state';

// Vapi's wire shapes, modelled on the captured payloads in tests/fixtures/vapi/: the Call object
// (POST /call 201, GET /call/:id), and the server-message envelope { message: { type, call, … } }
// whose `call` is the creation-time snapshot (status "queued"), exactly as real reports carry it.

const phoneNumberOf = (call: FakeCall) => ({
  id: call.request.phoneNumberId ?? 'transient',
  orgId: call.orgId,
  number: '+15555550100',
  provider: 'vapi',
  status: 'active',
});

function monitorOf(id: string) {
  return {
    listenUrl: `wss://phone-call-websocket.fake.vapi.local/${id}/listen`,
    controlUrl: `https://phone-call-websocket.fake.vapi.local/${id}/control`,
  };
}

/** The call as created: what POST /call answers and what every webhook embeds as `call`. */
export function creationSnapshot(call: FakeCall): Record<string, unknown> {
  const r = call.request;
  return {
    id: call.id,
    orgId: call.orgId,
    createdAt: call.createdAt,
    updatedAt: call.createdAt,
    type: 'outboundPhoneCall',
    monitor: monitorOf(call.id),
    transport: { provider: 'vapi.sip', callSid: call.id },
    phoneCallProvider: 'vapi',
    phoneCallProviderId: call.id,
    phoneCallTransport: 'pstn',
    status: 'queued',
    cost: 0,
    ...(r.assistantId ? { assistantId: r.assistantId } : {}),
    ...(r.assistant ? { assistant: r.assistant } : {}),
    ...(r.assistantOverrides ? { assistantOverrides: r.assistantOverrides } : {}),
    ...(r.phoneNumberId ? { phoneNumberId: r.phoneNumberId } : {}),
    ...(r.name ? { name: r.name } : {}),
    customer: r.customer,
  };
}

function artifactOf(call: FakeCall) {
  const messages = messagesOf(call);
  const connected = call.transcript.length > 0;
  return {
    messages,
    messagesOpenAIFormatted: messages.map((m) => ({ role: m.role === 'bot' ? 'assistant' : m.role, content: m.message })),
    transcript: transcriptText(call),
    ...(connected ? recordingOf(call.id) : {}),
    ...(call.structuredOutputs ? { structuredOutputs: call.structuredOutputs } : {}),
  };
}

const recordingOf = (id: string) => ({
  recordingUrl: `https://storage.fake.vapi.local/${id}-mono.wav`,
  stereoRecordingUrl: `https://storage.fake.vapi.local/${id}-stereo.wav`,
  recording: { stereoUrl: `https://storage.fake.vapi.local/${id}-stereo.wav`, mono: { combinedUrl: `https://storage.fake.vapi.local/${id}-mono.wav` } },
});

function messagesOf(call: FakeCall) {
  const start = Date.parse(call.startedAt ?? call.createdAt);
  return call.transcript.map((t) => ({ role: t.role, message: t.text, time: start + t.secondsFromStart * 1000, secondsFromStart: t.secondsFromStart }));
}

export const transcriptText = (call: FakeCall) => call.transcript.map((t) => `${t.role === 'bot' ? 'AI' : 'User'}: ${t.text}\n`).join('');

function analysisOf(call: FakeCall) {
  const structuredData = call.structuredOutputs
    ? Object.fromEntries(Object.values(call.structuredOutputs).map((o) => [o.name, o.result]))
    : undefined;
  return {
    summary: call.transcript.length ? `The assistant spoke with ${call.request.customer?.name ?? 'the customer'} (${call.outcome}).` : undefined,
    successEvaluation: String(call.outcome === 'answered'),
    ...(structuredData ? { structuredData } : {}),
  };
}

function costOf(call: FakeCall) {
  return { total: call.cost, vapi: Number((call.cost * 0.6).toFixed(4)), stt: Number((call.cost * 0.2).toFixed(4)), llm: Number((call.cost * 0.2).toFixed(4)) };
}

/** GET /call/:id and list items: the call as it is now. */
export function currentCall(call: FakeCall): Record<string, unknown> {
  const base = { ...creationSnapshot(call), status: call.status, updatedAt: call.updatedAt, cost: call.cost };
  if (call.status !== 'ended') return { ...base, ...(call.startedAt ? { startedAt: call.startedAt } : {}) };
  const artifact = artifactOf(call);
  return {
    ...base,
    endedReason: call.endedReason,
    startedAt: call.startedAt,
    endedAt: call.endedAt,
    transcript: artifact.transcript,
    messages: artifact.messages,
    recordingUrl: artifact.recordingUrl,
    stereoRecordingUrl: artifact.stereoRecordingUrl,
    summary: analysisOf(call).summary,
    analysis: analysisOf(call),
    artifact,
    costBreakdown: costOf(call),
    costs: [{ type: 'vapi', cost: costOf(call).vapi, minutes: (call.durationSec ?? 0) / 60 }],
  };
}

function envelope(call: FakeCall, type: string, extra: Record<string, unknown>) {
  return {
    message: {
      timestamp: Date.now(),
      type,
      ...extra,
      call: creationSnapshot(call),
      customer: call.request.customer,
      phoneNumber: phoneNumberOf(call),
      ...(call.request.assistant ? { assistant: call.request.assistant } : {}),
    },
  };
}

export function statusUpdate(call: FakeCall) {
  const messages = messagesOf(call);
  return envelope(call, 'status-update', {
    status: call.status,
    ...(call.status === 'ended' ? { endedReason: call.endedReason } : {}),
    artifact: { messages, messagesOpenAIFormatted: messages.map((m) => ({ role: m.role === 'bot' ? 'assistant' : m.role, content: m.message })) },
  });
}

export function transcriptMessage(call: FakeCall, turn: FakeCall['transcript'][number]) {
  return envelope(call, 'transcript', { role: turn.role === 'bot' ? 'assistant' : 'user', transcriptType: 'final', transcript: turn.text });
}

export function endOfCallReport(call: FakeCall) {
  const artifact = artifactOf(call);
  const durationSec = call.durationSec ?? 0;
  return envelope(call, 'end-of-call-report', {
    analysis: analysisOf(call),
    artifact,
    startedAt: call.startedAt,
    endedAt: call.endedAt,
    endedReason: call.endedReason,
    cost: call.cost,
    costBreakdown: costOf(call),
    costs: [{ type: 'vapi', cost: costOf(call).vapi, minutes: durationSec / 60 }],
    // Legacy top-level copies, present in real reports (research/vapi.md §3.4).
    durationMs: Math.round(durationSec * 1000),
    durationSeconds: Number(durationSec.toFixed(3)),
    durationMinutes: Number((durationSec / 60).toFixed(4)),
    summary: analysisOf(call).summary,
    transcript: artifact.transcript,
    messages: artifact.messages,
    ...(artifact.recordingUrl ? { recordingUrl: artifact.recordingUrl, stereoRecordingUrl: artifact.stereoRecordingUrl } : {}),
  });
}

/** research/vapi.md §3.7, in both spellings real payloads use (docs and SDK). */
export function toolCallsMessage(call: FakeCall, tool: Record<string, any>, toolCallId: string, args: Record<string, unknown>) {
  const name = tool.function?.name ?? tool.name;
  const toolCall = { id: toolCallId, type: 'function', function: { name, arguments: args } };
  return envelope(call, 'tool-calls', {
    toolWithToolCallList: [{ ...tool, name, toolCall: { ...toolCall, parameters: args } }],
    toolCallList: [{ ...toolCall, name, parameters: args }],
    artifact: { messages: messagesOf(call) },
  });
}
