"""The pipeline operations the overlay's commands call, behind one narrow adapter.

`find(app)` returns `OverlayServices` bound to the running `Pipeline`, or None when
no pipeline runs (the commands then answer `unavailable`). A suggestion is known
on the wire by the id of the buyer message it answers (`suggestion_id` is that
`message_id`). Page-assist messages become claims in a page conversation whose
id is derived from the page's conversation key, in the shop whose market matches
the Seller Centre host. `PipelineError` codes map to the protocol's error codes.
"""

from __future__ import annotations

import hashlib
from typing import Any

from aiohttp import web

from companion.web.ws_commands import CommandError

# Seller Centre host suffix -> Shopee region (seller-centre-chat-page.md section 1).
HOST_REGIONS = {
    "shopee.cn": "CN",
    "shopee.tw": "TW",
    "shopee.co.id": "ID",
    "shopee.com.my": "MY",
    "shopee.co.th": "TH",
    "shopee.ph": "PH",
    "shopee.sg": "SG",
    "shopee.com.br": "BR",
    "shopee.com.mx": "MX",
    "shopee.com.co": "CO",
    "shopee.cl": "CL",
    "shopee.vn": "VN",
}
_CODES = {
    "not_found": "not_found",
    "unknown_shop": "unknown_shop",
    "not_held": "conflict",
    "already_answered": "conflict",
    "empty_reply": "invalid_format",
    "unfilled_placeholder": "invalid_format",
    "send_restricted": "send_refused",
    "send_failed": "send_refused",
    "rate_limited": "rate_limited",
}


def page_conversation_id(conversation_key: str) -> str:
    return "page-" + hashlib.sha256(conversation_key.encode("utf-8")).hexdigest()[:20]


def region_of_host(host: str) -> str | None:
    host = host.lower()
    return next((r for suffix, r in HOST_REGIONS.items() if host.endswith(suffix)), None)


class OverlayServices:
    """Pipeline operations with protocol-shaped answers and error codes."""

    def __init__(self, pipeline: Any) -> None:
        self._pipeline = pipeline

    async def _call(self, fn: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from companion.pipeline.service import PipelineError

        try:
            result = fn(*args, **kwargs)
            if hasattr(result, "__await__"):
                result = await result
        except PipelineError as exc:
            raise CommandError(
                _CODES.get(exc.code, "conflict"), exc.message, {"reason": exc.code}
            ) from exc
        return dict(result)

    async def send_reply(
        self, *, shop_id: str | None, conversation_id: str, text: str, suggestion_id: str | None
    ) -> dict[str, Any]:
        return await self._call(
            self._pipeline.approve, shop_id, conversation_id, suggestion_id, text, by="overlay"
        )

    async def dismiss_reply(
        self, *, shop_id: str | None, conversation_id: str, suggestion_id: str | None
    ) -> dict[str, Any]:
        return await self._call(
            self._pipeline.dismiss, shop_id, conversation_id, suggestion_id, by="overlay"
        )

    async def release(self, *, shop_id: str | None, conversation_id: str) -> dict[str, Any]:
        return await self._call(self._pipeline.release, shop_id, conversation_id, by="overlay")

    async def conversations(self, *, shop_id: str | None, limit: int) -> dict[str, Any]:
        listing = await self._call(self._pipeline.conversations, shop_id, limit)
        return {"conversations": [_row(c) for c in listing.get("conversations", [])]}

    async def page_message(
        self,
        *,
        shop_id: str | None,
        host: str,
        conversation_key: str,
        buyer_name: str,
        text: str,
        fingerprint: str,
    ) -> dict[str, Any]:
        sid = shop_id or self._shop_for_host(host)
        conversation_id = page_conversation_id(conversation_key)
        message_id = f"page-{fingerprint}"[:64]
        result = await self._call(
            self._pipeline.ingest_page_message, sid, conversation_id, message_id, text,
            buyer_name=buyer_name,
        )
        return {
            **result,
            "shop_id": sid,
            "conversation_id": conversation_id,
            "message_id": message_id,
        }

    def _shop_for_host(self, host: str) -> str:
        region = region_of_host(host)
        for shop_id, shop in self._pipeline.shops.items():
            if getattr(shop, "region", None) == region:
                return str(shop_id)
        raise CommandError("unknown_shop", f"no shop of the companion sells on {host}")


def _row(item: dict[str, Any]) -> dict[str, Any]:
    """A conversation as the overlay's state holds it."""
    decision = item.get("latest_decision") or {}
    row: dict[str, Any] = {
        "shop_id": item["shop_id"],
        "conversation_id": item["conversation_id"],
        "buyer_id": item.get("buyer_id"),
        "buyer_name": item.get("buyer_name") or "",
        "source": "page" if str(item["conversation_id"]).startswith("page-") else "api",
        "intent": decision.get("intent"),
        "pillar": decision.get("pillar"),
        "confidence": decision.get("confidence"),
        "language": decision.get("language"),
        "mood": "negative" if decision.get("negative") else "neutral",
        "updated_at": decision.get("created_at") or 0,
    }
    if decision.get("action") == "suggest" and decision.get("reply"):
        reasons = decision.get("reasons") or [{}]
        row["suggestion"] = {
            "id": decision.get("message_id"),
            "text": decision["reply"],
            "reason": reasons[-1].get("code", ""),
            "rule_id": decision.get("rule_id"),
        }
    if item.get("held"):
        row["escalation"] = {
            "reason": item.get("held_reason") or "rule",
            "deadline_at": (decision.get("created_at") or 0) + 12 * 3600,
            "raised_at": decision.get("created_at") or 0,
        }
    return row


def find(app: web.Application) -> OverlayServices | None:
    """The running pipeline's services, if the pipeline is part of this app."""
    from companion.web.routes_pipeline import pipeline_key

    pipeline = app.get(pipeline_key)
    return OverlayServices(pipeline) if pipeline is not None else None
