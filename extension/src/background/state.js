// What the overlay shows, folded from the companion's events. Persisted (with the last seq)
// in chrome.storage.session, so a restarted worker resumes exactly where it stopped: events
// at or below `lastSeq` are duplicates and are dropped, never applied twice. Event types this
// version does not know still move `lastSeq` on (tolerant in), so they are not replayed forever.

const MAX_CONVERSATIONS = 100;
const MAX_MESSAGES = 6;
const MAX_APPLIED = 400;
const MAX_FOLLOWUPS = 100;
const FOLLOWUP_FIELDS = ["followup_id", "shop_id", "plan", "state", "reason", "order_sn", "buyer_id", "buyer_name", "conversation_id", "text", "language", "voucher_code"];
const CRR_WINDOW_S = 12 * 3600; // Shopee counts a chat answered within 12 hours

export function emptyState() {
  return {
    lastSeq: 0,
    ready: null,
    conversations: {},
    applied: [],
    alerts: [],
    followups: {},
  };
}

export function conversationKey(shopId, conversationId) {
  return `${shopId || "page"}:${conversationId}`;
}

function conversation(state, data) {
  const key = conversationKey(data.shop_id, data.conversation_id);
  if (!state.conversations[key]) {
    state.conversations[key] = {
      key,
      shop_id: data.shop_id,
      conversation_id: data.conversation_id,
      buyer_name: "",
      messages: [],
      suggestion: null,
      escalation: null,
      sent: [],
      updated_at: 0,
    };
  }
  return state.conversations[key];
}

function prune(state) {
  const keys = Object.keys(state.conversations);
  if (keys.length <= MAX_CONVERSATIONS) return;
  keys
    .sort((a, b) => state.conversations[a].updated_at - state.conversations[b].updated_at)
    .slice(0, keys.length - MAX_CONVERSATIONS)
    .forEach((key) => delete state.conversations[key]);
}

// The follow-up queue holds only what waits for a person; any other state takes it out.
function applyFollowup(state, data, at) {
  if (!data.followup_id) return;
  state.followups = state.followups || {};
  const id = String(data.followup_id);
  if (data.state !== "queued") {
    delete state.followups[id];
    return;
  }
  const item = { queued_at: at };
  for (const field of FOLLOWUP_FIELDS) if (data[field] !== undefined) item[field] = data[field];
  state.followups[id] = { ...(state.followups[id] || {}), ...item };
  const ids = Object.keys(state.followups);
  if (ids.length > MAX_FOLLOWUPS) {
    ids.sort((a, b) => state.followups[a].queued_at - state.followups[b].queued_at)
      .slice(0, ids.length - MAX_FOLLOWUPS).forEach((old) => delete state.followups[old]);
  }
}

const APPLY = {
  "message.received"(state, data, at) {
    const conv = conversation(state, data);
    if (data.buyer_name) conv.buyer_name = data.buyer_name;
    if (data.buyer_id) conv.buyer_id = data.buyer_id;
    if (data.source) conv.source = data.source;
    if (!conv.messages.some((m) => m.id === data.message_id)) {
      conv.messages.push({ id: data.message_id, text: data.text, at });
      conv.messages = conv.messages.slice(-MAX_MESSAGES);
    }
    conv.last_text = data.text;
    conv.first_unanswered_at = conv.first_unanswered_at || at;
  },
  "chat.classified"(state, data) {
    const conv = conversation(state, data);
    for (const field of ["intent", "pillar", "confidence", "language", "mood", "wants_human"]) {
      if (field in data) conv[field] = data[field];
    }
  },
  "reply.suggested"(state, data) {
    const conv = conversation(state, data);
    conv.suggestion = {
      id: data.suggestion_id, text: data.text, reason: data.reason || "",
      intent: data.intent || null, rule_id: data.rule_id || null,
    };
  },
  "reply.sent"(state, data, at) {
    const conv = conversation(state, data);
    conv.sent.push({ text: data.text, via: data.via || "approved", at });
    conv.sent = conv.sent.slice(-MAX_MESSAGES);
    if (!data.suggestion_id || (conv.suggestion && conv.suggestion.id === data.suggestion_id)) {
      conv.suggestion = null;
    }
    conv.first_unanswered_at = null;
  },
  "escalation.raised"(state, data, at) {
    const conv = conversation(state, data);
    const since = conv.first_unanswered_at || at;
    conv.escalation = {
      reason: data.reason,
      deadline_at: data.deadline_at || since + CRR_WINDOW_S,
      raised_at: at,
    };
    state.alerts.push({ key: conv.key, at });
    state.alerts = state.alerts.slice(-20);
  },
  "escalation.resolved"(state, data) {
    conversation(state, data).escalation = null;
  },
  "mode.changed"(state, data) {
    if (!state.ready) return;
    state.ready.auto = Boolean(data.auto);
    for (const shop of state.ready.shops || []) {
      if (data.shops && shop.shop_id in data.shops) shop.auto = Boolean(data.shops[shop.shop_id]);
    }
  },
  "shop.status"(state, data) {
    if (!state.ready) return;
    state.ready.shops = data.shops || state.ready.shops;
    state.ready.demo = Boolean(data.demo);
  },
  "followup.scheduled": applyFollowup,
  "followup.queued": applyFollowup,
  "followup.sent": applyFollowup,
  "followup.skipped": applyFollowup,
  "followup.failed": applyFollowup,
  "followup.unknown": applyFollowup,
};

function record(state, seq) {
  state.lastSeq = seq;
  state.applied.push(seq);
  state.applied = state.applied.slice(-MAX_APPLIED);
}

// Apply one event frame; returns false for a duplicate (already applied) or unknown event.
export function applyEvent(state, frame) {
  if (frame.seq && frame.seq <= state.lastSeq) return false;
  const apply = APPLY[frame.type];
  if (!apply || !frame.data) {
    if (!frame.seq) return false;
    record(state, frame.seq); // unknown to this version: skipped, but never asked for again
    return true;
  }
  apply(state, frame.data, frame.at || Date.now() / 1000);
  const data = frame.data;
  if (data.conversation_id && !frame.type.startsWith("followup.")) {
    conversation(state, data).updated_at = frame.at || Date.now() / 1000;
  }
  if (frame.seq) record(state, frame.seq);
  prune(state);
  return true;
}

// After `ready`: adopt its state; a truncated replay (or a reset companion) starts over.
export function applyReady(state, ready) {
  if (ready.truncated || ready.last_seq < state.lastSeq) {
    state.conversations = {};
    state.followups = {};
    state.lastSeq = 0;
    state.applied = [];
  }
  state.ready = {
    auto: ready.auto, shops: ready.shops || [], fingerprint: ready.fingerprint,
    dashboard_url: ready.dashboard_url, demo: ready.demo, session: ready.session,
  };
}

// Merge `conversations.list` rows (from the pipeline) without touching the seq bookkeeping.
export function mergeConversations(state, rows) {
  for (const row of rows || []) {
    if (!row || !row.conversation_id) continue;
    const conv = conversation(state, row);
    for (const field of ["buyer_name", "source", "intent", "pillar", "confidence", "language", "mood", "last_text"]) {
      if (row[field] !== undefined && row[field] !== null && !conv[field]) conv[field] = row[field];
    }
    if (row.suggestion && !conv.suggestion) conv.suggestion = row.suggestion;
    if (row.escalation && !conv.escalation) conv.escalation = row.escalation;
    conv.updated_at = Math.max(conv.updated_at, row.updated_at || 0);
  }
  prune(state);
}

// `followups.list` is the whole queue at that moment: it replaces what the events built.
export function replaceFollowups(state, rows) {
  state.followups = {};
  const now = Date.now() / 1000;
  for (const row of rows || []) applyFollowup(state, { ...row, state: "queued" }, row.updated_at || now);
}
