"""The WebSocket wire protocol: one pydantic model per frame, the single source of truth.

Envelope (style.md section 3): every frame has `v` and `type`. Client commands add
an `id` that strictly increases per connection; the server answers each with one
`result`. Server pushes are past-tense events with a persisted `seq`. The
handshake (security.md P3) proves both sides hold the pairing secret without
sending it: `hello` (server) -> `auth.start` (client nonce) -> `auth.challenge`
(server nonce + server proof) -> `auth` (client proof, resume point) -> `ready`.

Inbound (client) frames are strict: unknown fields and types are refused.
Outbound models are tolerant (extra fields allowed) so a newer companion can add
fields without breaking the docs test, and the extension ignores what it does not
know. `companion/protocol.md` shows one example per frame; a test parses them all.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from companion import PROTOCOL_VERSION

PROTOCOL_MIN = 1
PROTOCOL_MAX = PROTOCOL_VERSION
NONCE_B64_LEN = 24  # 16 random bytes, standard base64 with padding
PROOF_B64_LEN = 44  # 32-byte HMAC-SHA256, standard base64 with padding
MAX_TEXT = 2000  # a reply is capped at 600 by Shopee; a buyer bubble can be longer
FEATURES = ("resume", "page_assist", "approve_send", "escalation_deadline", "followups")

Id = Annotated[str, Field(min_length=1, max_length=64)]
ShopId = Annotated[str, Field(min_length=1, max_length=32)]
Nonce = Annotated[str, Field(min_length=NONCE_B64_LEN, max_length=NONCE_B64_LEN)]
Proof = Annotated[str, Field(min_length=PROOF_B64_LEN, max_length=PROOF_B64_LEN)]
Version = Annotated[str, Field(min_length=1, max_length=32)]

# --- stable error codes (the extension localises by code; `message` is for logs) ---------------

ERROR_CODES: dict[str, str] = {
    "invalid_format": "The frame is not valid JSON or does not match the schema.",
    "bad_message": "Unknown frame type; three in a row close the socket (1003).",
    "id_reuse": "A command id was not greater than the previous one on this connection.",
    "unauthorized": "The handshake proof was wrong: the pairing secret differs. Re-pair.",
    "protocol_unsupported": "No protocol version in common. Update the extension.",
    "not_ready": "A command arrived before the handshake finished.",
    "rate_limited": "Too many frames; the socket is closed with 1008.",
    "not_found": "The conversation, suggestion, follow-up or shop does not exist.",
    "unknown_shop": "The shop id is not one of the companion's shops.",
    "conflict": "The action no longer applies (already sent, dismissed or released).",
    "send_refused": "Shopee (or the sandbox) refused the message; `details` says why.",
    "unavailable": "The part of the companion that handles this is not running.",
    "internal": "Something broke inside the companion; the log has a request id.",
}

# --- close codes (4000-4999 are ours; the extension maps them to UI) ---------------------------

CLOSE_NORMAL = 1000  # also: replaced by a newer session of the same profile (reason "replaced")
CLOSE_GOING_AWAY = 1001  # the companion is shutting down
CLOSE_UNSUPPORTED = 1003  # three unknown frame types
CLOSE_POLICY = 1008  # handshake deviation or timeout, rate limit
CLOSE_TOO_BIG = 1009  # frame over 64 KiB
CLOSE_UNAUTHORIZED = 4001  # wrong proof: re-pair
CLOSE_PROTOCOL = 4002  # no common protocol version: update
CLOSE_REVOKED = 4003  # the seller revoked the pairing: re-pair
CLOSE_SLOW = 4004  # the client did not read fast enough: reconnect and resume

CLOSE_CODES: dict[int, str] = {
    CLOSE_NORMAL: "normal, or replaced by a newer session (reason 'replaced')",
    CLOSE_GOING_AWAY: "companion shutting down; reconnect with backoff",
    CLOSE_UNSUPPORTED: "three unknown frame types",
    CLOSE_POLICY: "handshake deviation or timeout, or frame rate over budget",
    CLOSE_TOO_BIG: "frame over the 64 KiB limit",
    CLOSE_UNAUTHORIZED: "handshake proof wrong; re-pair",
    CLOSE_PROTOCOL: "protocol version unsupported; update the extension",
    CLOSE_REVOKED: "pairing revoked; re-pair",
    CLOSE_SLOW: "send queue overflowed; reconnect and resume from the last seq",
}


class Strict(BaseModel):
    """Inbound frames: nothing unknown is accepted (style.md 'strict in')."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    v: Literal[1] = 1


class Tolerant(BaseModel):
    """Outbound frames and payloads: extra fields pass ('tolerant out')."""

    model_config = ConfigDict(extra="allow", frozen=True)


# --- handshake -------------------------------------------------------------------------------


class Hello(Tolerant):
    """Server, first frame: who we are and which protocol versions we speak."""

    v: Literal[1] = 1
    type: Literal["hello"] = "hello"
    product: Literal["yiwaiwai"] = "yiwaiwai"
    server_version: Version
    protocol: tuple[int, int]
    features: list[str] = Field(default_factory=list)


class AuthStart(Strict):
    """Client, within 5 s of `hello`: its nonce and the protocol version it speaks."""

    type: Literal["auth.start"]
    nc: Nonce
    protocol: int = Field(ge=1, le=99)
    client_version: Version


class AuthChallenge(Tolerant):
    """Server: its nonce and proof `sp = HMAC(K, "srv"|nc|ns)` (base64)."""

    v: Literal[1] = 1
    type: Literal["auth.challenge"] = "auth.challenge"
    ns: Nonce
    sp: Proof


class Auth(Strict):
    """Client: proof `cp = HMAC(K, "cli"|ns|nc)` and the last `seq` it has seen."""

    type: Literal["auth"]
    cp: Proof
    resume_from: int = Field(default=0, ge=0)


class ShopInfo(Tolerant):
    shop_id: str
    region: str
    name: str = ""
    auto: bool = False
    auto_reply_endpoint: bool = True


class Ready(Tolerant):
    """Server: the session is open; current state, then replayed events follow."""

    v: Literal[1] = 1
    type: Literal["ready"] = "ready"
    session: str
    protocol: int
    last_seq: int
    replay: int = 0
    truncated: bool = False
    auto: bool = False
    shops: list[ShopInfo] = Field(default_factory=list)
    fingerprint: str = ""
    demo: bool = False
    dashboard_url: str = ""


# --- client commands -------------------------------------------------------------------------


class Command(Strict):
    id: int = Field(ge=1)


class Ping(Command):
    """Keepalive inside the MV3 30-second window (sent about every 20 s)."""

    type: Literal["ping"]


class ReplySend(Command):
    """Approve (optionally edited) and send through the companion's Shopee client."""

    type: Literal["reply.send"]
    conversation_id: Id
    text: str = Field(min_length=1, max_length=600)
    suggestion_id: Id | None = None
    shop_id: ShopId | None = None


class ReplyDismiss(Command):
    """The seller does not want this suggestion."""

    type: Literal["reply.dismiss"]
    conversation_id: Id
    suggestion_id: Id | None = None
    shop_id: ShopId | None = None


class ConversationRelease(Command):
    """A person has handled an escalated conversation; the bot may answer again."""

    type: Literal["conversation.release"]
    conversation_id: Id
    shop_id: ShopId | None = None


class ModeSet(Command):
    """Auto mode on or off, for one shop or (without `shop_id`) every shop."""

    type: Literal["mode.set"]
    auto: bool
    shop_id: ShopId | None = None


class ConversationsList(Command):
    """The open conversations and their latest state, for an overlay that just (re)started."""

    type: Literal["conversations.list"]
    shop_id: ShopId | None = None
    limit: int = Field(default=50, ge=1, le=200)


class PageMessage(Command):
    """Page assist: a buyer message read from the Seller Centre page. A claim, not a fact."""

    type: Literal["page.message"]
    host: str = Field(min_length=1, max_length=64)
    conversation_key: str = Field(min_length=1, max_length=200)
    buyer_name: str = Field(default="", max_length=200)
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    fingerprint: str = Field(min_length=1, max_length=128)
    shop_id: ShopId | None = None
    time_label: str = Field(default="", max_length=16)


class FollowupsList(Command):
    """The follow-ups queued for a person (the reason each one needs a person), oldest first."""

    type: Literal["followups.list"]
    shop_id: ShopId | None = None
    limit: int = Field(default=50, ge=1, le=200)


class FollowupSend(Command):
    """A person sends a queued follow-up (optionally edited) through the companion."""

    type: Literal["followup.send"]
    followup_id: int = Field(ge=1)
    text: str | None = Field(default=None, min_length=1, max_length=600)


class FollowupDismiss(Command):
    """A person drops a queued follow-up; it is never sent."""

    type: Literal["followup.dismiss"]
    followup_id: int = Field(ge=1)


ClientCommand = Annotated[
    Ping
    | ReplySend
    | ReplyDismiss
    | ConversationRelease
    | ModeSet
    | ConversationsList
    | PageMessage
    | FollowupsList
    | FollowupSend
    | FollowupDismiss,
    Field(discriminator="type"),
]
COMMAND_ADAPTER: TypeAdapter[Any] = TypeAdapter(ClientCommand)
HANDSHAKE_ADAPTER: TypeAdapter[Any] = TypeAdapter(
    Annotated[AuthStart | Auth, Field(discriminator="type")]
)

# --- replies ---------------------------------------------------------------------------------


class ErrorBody(Tolerant):
    code: str
    message: str = ""
    details: Any = None


class Result(Tolerant):
    """Server: the answer to exactly one command, matched by `id`."""

    v: Literal[1] = 1
    type: Literal["result"] = "result"
    id: int
    ok: bool
    data: dict[str, Any] | None = None
    error: ErrorBody | None = None


class ErrorFrame(Tolerant):
    """Server: a frame that had no usable `id` was refused (for example an unknown type)."""

    v: Literal[1] = 1
    type: Literal["error"] = "error"
    code: str
    message: str = ""


# --- events (server pushes, past tense, `seq` persisted in the store's events log) ----------


class Conversational(Tolerant):
    shop_id: str
    conversation_id: str


class MessageReceivedData(Conversational):
    message_id: str
    text: str
    buyer_id: str | None = None
    buyer_name: str = ""
    source: str = "api"


class ChatClassifiedData(Conversational):
    message_id: str | None = None
    intent: str
    pillar: str
    confidence: float
    language: str
    mood: str = "neutral"
    wants_human: bool = False


class ReplySuggestedData(Conversational):
    suggestion_id: str
    text: str
    reason: str = ""
    intent: str | None = None
    rule_id: str | None = None
    message_id: str | None = None


class ReplySentData(Conversational):
    text: str
    via: str = "approved"
    suggestion_id: str | None = None
    message_id: str | None = None


class EscalationRaisedData(Conversational):
    reason: str
    deadline_at: float | None = None
    message_id: str | None = None


class EscalationResolvedData(Conversational):
    by: str = "seller"


class FollowupData(Tolerant):
    """A follow-up changed state; `reason` says why it waits for a person or was skipped."""

    shop_id: str
    followup_id: int
    plan: str
    state: str
    reason: str = ""
    order_sn: str = ""
    buyer_id: str | None = None
    buyer_name: str = ""
    conversation_id: str | None = None
    text: str = ""
    language: str | None = None
    voucher_code: str | None = None


class ModeChangedData(Tolerant):
    auto: bool
    shops: dict[str, bool] = Field(default_factory=dict)


class ShopStatusData(Tolerant):
    shops: list[ShopInfo]
    connected: bool = True
    demo: bool = False


EVENT_DATA: dict[str, type[BaseModel]] = {
    "message.received": MessageReceivedData,
    "chat.classified": ChatClassifiedData,
    "reply.suggested": ReplySuggestedData,
    "reply.sent": ReplySentData,
    "escalation.raised": EscalationRaisedData,
    "escalation.resolved": EscalationResolvedData,
    "mode.changed": ModeChangedData,
    "shop.status": ShopStatusData,
    "followup.scheduled": FollowupData,
    "followup.queued": FollowupData,
    "followup.sent": FollowupData,
    "followup.skipped": FollowupData,
    "followup.failed": FollowupData,
    "followup.unknown": FollowupData,
}
EVENT_TYPES = tuple(EVENT_DATA)
COMMAND_TYPES = (
    "ping",
    "reply.send",
    "reply.dismiss",
    "conversation.release",
    "mode.set",
    "conversations.list",
    "page.message",
    "followups.list",
    "followup.send",
    "followup.dismiss",
)
HANDSHAKE_TYPES = ("hello", "auth.start", "auth.challenge", "auth", "ready")
SERVER_TYPES = ("hello", "auth.challenge", "ready", "result", "error", *EVENT_TYPES)
CLIENT_TYPES = ("auth.start", "auth", *COMMAND_TYPES)


class EventFrame(Tolerant):
    """Server push: `seq` is 0 for events that are not kept (e.g. the live `shop.status`)."""

    v: Literal[1] = 1
    type: str
    seq: int = Field(ge=0)
    at: float
    data: dict[str, Any]

    def typed_data(self) -> BaseModel:
        """Validate `data` with the model of this event type (raises for an unknown type)."""
        return EVENT_DATA[self.type].model_validate(self.data)


def event_frame(type_: str, data: dict[str, Any], seq: int, at: float) -> dict[str, Any]:
    """The wire dict of an event (the data is passed through as the pipeline published it)."""
    return {"v": 1, "type": type_, "seq": seq, "at": at, "data": data}


def ok(id_: int, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"v": 1, "type": "result", "id": id_, "ok": True, "data": data or {}}


def fail(id_: int, code: str, message: str = "", details: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"v": 1, "type": "result", "id": id_, "ok": False, "error": error}


def parse_server_frame(frame: dict[str, Any]) -> BaseModel:
    """Validate any server frame (used by the docs test and the independent-client tests)."""
    kind = frame.get("type")
    simple: dict[str, type[BaseModel]] = {
        "hello": Hello,
        "auth.challenge": AuthChallenge,
        "ready": Ready,
        "result": Result,
        "error": ErrorFrame,
    }
    if kind in simple:
        return simple[str(kind)].model_validate(frame)
    event = EventFrame.model_validate(frame)
    event.typed_data()
    return event


def parse_client_frame(frame: dict[str, Any]) -> BaseModel:
    """Validate any client frame, handshake or command (raises `ValidationError`)."""
    if frame.get("type") in ("auth.start", "auth"):
        return HANDSHAKE_ADAPTER.validate_python(frame)  # type: ignore[no-any-return]
    return COMMAND_ADAPTER.validate_python(frame)  # type: ignore[no-any-return]
