// Wire names of the companion protocol (companion/protocol.md), close codes, and the
// error-code -> message-key table. tests/web/test_ws_conformance.py compares these lists
// with companion/protocol.py, so keep each list a plain JSON array of double-quoted strings.

export const PROTOCOL_VERSION = 1;

export const HANDSHAKE_TYPES = ["hello", "auth.start", "auth.challenge", "auth", "ready"];

export const COMMAND_TYPES = ["ping", "reply.send", "reply.dismiss", "conversation.release", "mode.set", "conversations.list", "page.message", "followups.list", "followup.send", "followup.dismiss"];

export const EVENT_TYPES = ["message.received", "chat.classified", "reply.suggested", "reply.sent", "escalation.raised", "escalation.resolved", "mode.changed", "shop.status", "followup.scheduled", "followup.queued", "followup.sent", "followup.skipped", "followup.failed", "followup.unknown"];

export const REPLY_TYPES = ["result", "error"];

export const CLOSE = Object.freeze({
  NORMAL: 1000,
  GOING_AWAY: 1001,
  UNSUPPORTED: 1003,
  POLICY: 1008,
  TOO_BIG: 1009,
  UNAUTHORIZED: 4001,
  PROTOCOL: 4002,
  REVOKED: 4003,
  SLOW: 4004,
});

// Close codes after which reconnecting is pointless until the seller acts.
export const TERMINAL_CLOSE = Object.freeze({
  4001: "unpaired",
  4002: "update_needed",
  4003: "revoked",
});

// Stable error codes -> _locales message keys; the English `message` is for logs only.
export const ERROR_KEYS = Object.freeze({
  invalid_format: "errInvalidFormat",
  bad_message: "errInvalidFormat",
  id_reuse: "errInvalidFormat",
  unauthorized: "errUnauthorized",
  protocol_unsupported: "errProtocol",
  not_ready: "errNotReady",
  rate_limited: "errRateLimited",
  not_found: "errNotFound",
  unknown_shop: "errNotFound",
  conflict: "errConflict",
  send_refused: "errSendRefused",
  unavailable: "errUnavailable",
  internal: "errInternal",
  timeout: "errTimeout",
  disconnected: "errDisconnected",
});

export function errorKey(code) {
  return ERROR_KEYS[code] || "errInternal";
}
