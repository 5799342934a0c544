"""Authorization endpoints: auth_partner (consent page/redirect), token/get, access_token/get."""

from __future__ import annotations

from html import escape

from aiohttp import web
from yarl import URL

from companion.sandbox.auth_store import issue_code, redeem_code, refresh_pair
from companion.sandbox.context import state_of
from companion.sandbox.envelope import ApiError, ok_top_level, param_error
from companion.sandbox.params import body_int, body_str, json_body
from companion.sandbox.state import SandboxState


def _shop_id(state: SandboxState, raw: str | int | None) -> int:
    if raw in (None, ""):
        return state.first_shop().shop_id
    try:
        shop_id = int(raw)  # type: ignore[arg-type]
    except ValueError:
        raise param_error("shop_id must be an integer") from None
    if shop_id not in state.shops:
        raise ApiError("invalid_shop_id", "Invalid shop_id.", 403)
    return shop_id


async def auth_partner(request: web.Request) -> web.Response:
    """The seller 'consents' at once: redirect with ?code=&shop_id=, or show the code on a page.

    Sandbox extension: `shop_id` in the query picks which seeded shop authorizes (default first).
    """
    state = state_of(request)
    shop_id = _shop_id(state, request.query.get("shop_id"))
    code = issue_code(state, shop_id)
    redirect = request.query.get("redirect", "")
    if redirect:
        target = URL(redirect)
        if target.scheme not in {"http", "https"} or not target.host:
            raise param_error("redirect must be an absolute http(s) URL")
        raise web.HTTPFound(str(target.update_query(code=code, shop_id=shop_id)))
    page = (f"<!doctype html><meta charset='utf-8'><title>Sandbox authorization</title>"
            f"<p>Shop {shop_id} authorized.</p><p>code: <code>{escape(code)}</code></p>")
    return web.Response(text=page, content_type="text/html")


async def _checked_body(request: web.Request) -> dict[str, object]:
    body = await json_body(request)
    if body_int(body, "partner_id") != state_of(request).partner_id:
        raise param_error("partner_id in body does not match")
    if body.get("main_account_id"):
        raise ApiError("invalid_main_acount_id", "Main accounts are not simulated.", 403)
    return body


async def token_get(request: web.Request) -> web.Response:
    state = state_of(request)
    body = await _checked_body(request)
    shop_id = _shop_id(state, body_int(body, "shop_id"))
    pair = redeem_code(state, body_str(body, "code"), shop_id)
    return ok_top_level({**pair, "shop_id_list": [], "merchant_id_list": []})


async def access_token_get(request: web.Request) -> web.Response:
    state = state_of(request)
    body = await _checked_body(request)
    shop_id = _shop_id(state, body_int(body, "shop_id"))
    pair = refresh_pair(state, body_str(body, "refresh_token"), shop_id)
    return ok_top_level({**pair, "shop_id": shop_id, "partner_id": state.partner_id})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/v2/shop/auth_partner", auth_partner)
    app.router.add_post("/api/v2/auth/token/get", token_get)
    app.router.add_post("/api/v2/auth/access_token/get", access_token_get)
