"""The three follow-up plans, their per-shop settings, and the repurchase voucher.

    review_request       48 h after delivery (order reaches TO_CONFIRM_RECEIVE)
    repurchase_voucher   30 days after a completed order: a unique, capped, hidden
                         shop voucher (add_voucher), one per buyer per plan window
    delay_apology        when tracking stalls while an order is SHIPPED

Settings live in the follow-ups file, one JSON value per shop; defaults apply
to whatever a shop never changed. Vouchers follow security.md A3: the
idempotency key `voucher:<plan>:<shop>:<buyer>:<window>` and the code are
committed before `add_voucher` is called, and daily count and value caps hold.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from companion.followups import templates as tpl
from companion.followups.db import Clock, FollowupDB
from companion.followups.markets import LANGUAGES, local_day_start
from companion.shopee.client import ShopeeClient
from companion.shopee.errors import ShopeeAPIError, ShopeeError, WriteOutcomeUnknownError
from companion.shopee.models import NewVoucher

REVIEW = "review_request"
REPURCHASE = "repurchase_voucher"
DELAY = "delay_apology"
PLANS = (REVIEW, REPURCHASE, DELAY)
PROMOTIONAL = frozenset({REPURCHASE})
PlanName = Literal["review_request", "repurchase_voucher", "delay_apology"]

DAY = 86400.0
VOUCHER_WINDOW_S = 30 * DAY
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: buyers type these
CODE_LENGTH = 5
VOUCHER_LIST_PAGES = 10


class VoucherSpec(BaseModel):
    """What each repurchase voucher gives: always capped, hidden, few uses."""

    model_config = ConfigDict(extra="forbid")
    reward: Literal["fixed", "percent"] = "fixed"
    discount_amount: float = Field(default=5.0, gt=0)
    percentage: int = Field(default=10, ge=1, le=90)
    max_price: float = Field(default=10.0, gt=0, description="cap of a percentage voucher")
    min_basket_price: float = Field(default=30.0, ge=0)
    validity_days: int = Field(default=14, ge=1, le=90)
    usage_quantity: int = Field(default=1, ge=1, le=10)

    @model_validator(mode="after")
    def _basket_above_amount(self) -> VoucherSpec:
        if self.reward == "fixed" and self.min_basket_price and \
                self.min_basket_price <= self.discount_amount:
            raise ValueError("min_basket_price must exceed discount_amount")
        return self

    @property
    def value(self) -> float:
        """The most one redemption can cost the shop (counts toward the daily value cap)."""
        per_use = self.discount_amount if self.reward == "fixed" else self.max_price
        return per_use * self.usage_quantity


class PlanSettings(BaseModel):
    """One plan for one shop: on/off, delay, who sends, texts per language."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool
    delay_hours: float = Field(ge=0, le=90 * 24)
    send_mode: Literal["person", "auto"] = "person"
    templates: dict[str, str]
    voucher: VoucherSpec | None = None

    @field_validator("templates")
    @classmethod
    def _templates_ok(cls, value: dict[str, str]) -> dict[str, str]:
        for language, text in value.items():
            if language not in LANGUAGES:
                raise ValueError(f"unknown language {language!r}")
            if not text.strip() or len(text) > 560:
                raise ValueError(f"template {language} must be 1-560 characters")
            try:
                tpl.check_template(text)
            except ValueError as exc:
                raise ValueError(f"template {language}: {exc}") from None
        if "en" not in value:
            raise ValueError("an English template is required (the fallback)")
        return value


class ShopSettings(BaseModel):
    """Everything a seller can edit about follow-ups in one shop."""

    model_config = ConfigDict(extra="forbid")
    plans: dict[PlanName, PlanSettings]
    quiet_start_hour: int = Field(default=21, ge=0, le=23)
    quiet_end_hour: int = Field(default=9, ge=0, le=23)
    cap_per_buyer: int = Field(default=2, ge=1, le=10)
    cap_window_days: int = Field(default=30, ge=1, le=90)
    catch_up_hours: float = Field(default=24.0, ge=0, le=24 * 14)
    voucher_daily_count_cap: int = Field(default=20, ge=0, le=1000)
    voucher_daily_value_cap: float = Field(default=200.0, ge=0)

    def plan(self, name: str) -> PlanSettings:
        return self.plans[name]  # type: ignore[index]


def default_settings() -> ShopSettings:
    """Review requests and delay apologies on (queued for a person), vouchers off (they cost)."""
    return ShopSettings(plans={
        REVIEW: PlanSettings(enabled=True, delay_hours=48, templates=dict(tpl.REVIEW_REQUEST)),
        REPURCHASE: PlanSettings(enabled=False, delay_hours=30 * 24,
                                 templates=dict(tpl.REPURCHASE_VOUCHER), voucher=VoucherSpec()),
        DELAY: PlanSettings(enabled=True, delay_hours=72, templates=dict(tpl.DELAY_APOLOGY)),
    })


def load_settings(db: FollowupDB, shop_id: str) -> ShopSettings:
    row = db.conn.execute("SELECT value FROM shop_settings WHERE shop_id = ?",
                          (shop_id,)).fetchone()
    if row is None:
        return default_settings()
    return ShopSettings.model_validate_json(row[0])


def save_settings(db: FollowupDB, shop_id: str, settings: ShopSettings) -> None:
    with db.tx() as conn:
        conn.execute("INSERT OR REPLACE INTO shop_settings (shop_id, value) VALUES (?, ?)",
                     (shop_id, settings.model_dump_json()))


def merge_settings(current: ShopSettings, patch: dict[str, object]) -> ShopSettings:
    """Apply a partial update (plans merge per plan and per template language)."""
    data = json.loads(current.model_dump_json())
    for key, value in patch.items():
        if key == "plans" and isinstance(value, dict):
            for name, plan_patch in value.items():
                base = data["plans"].get(name)
                if base is None or not isinstance(plan_patch, dict):
                    data["plans"][name] = plan_patch
                    continue
                for field_name, field_value in plan_patch.items():
                    if field_name == "templates" and isinstance(field_value, dict):
                        base["templates"].update(field_value)
                    else:
                        base[field_name] = field_value
        else:
            data[key] = value
    return ShopSettings.model_validate(data)


# --- scheduling ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Planned:
    """A follow-up to put on the schedule (idempotent by `key`)."""

    key: str
    plan: str
    shop_id: str
    order_sn: str
    buyer_id: str
    anchor_at: float
    due_at: float


def voucher_window(anchor_at: float) -> int:
    return int(anchor_at // VOUCHER_WINDOW_S)


def plan_for(status: str, shop_id: str, order_sn: str, buyer_id: str, at: float,
             settings: ShopSettings) -> Planned | None:
    """The follow-up a status change calls for, if its plan is on."""
    name = {"TO_CONFIRM_RECEIVE": REVIEW, "COMPLETED": REPURCHASE, "SHIPPED": DELAY}.get(status)
    if name is None or not buyer_id or not settings.plan(name).enabled:
        return None
    due = at + settings.plan(name).delay_hours * 3600
    if name == REPURCHASE:
        key = f"{REPURCHASE}:{shop_id}:{buyer_id}:{voucher_window(at)}"
    else:
        key = f"{name}:{shop_id}:{order_sn}"
    return Planned(key, name, shop_id, order_sn, buyer_id, at, due)


# --- vouchers ------------------------------------------------------------------------------------


class VoucherError(Exception):
    """No voucher now; `reason` goes on the follow-up, `retry` says whether to try later."""

    def __init__(self, reason: str, retry: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


@dataclass(frozen=True, slots=True)
class Voucher:
    code: str
    voucher_id: str
    start_time: int
    end_time: int


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class VoucherMaker:
    """Creates at most one voucher per key, within the shop's daily caps."""

    def __init__(self, client: ShopeeClient, db: FollowupDB, clock: Clock) -> None:
        self._client = client
        self._db = db
        self._clock = clock

    def _row(self, key: str) -> tuple | None:
        return self._db.conn.execute(
            "SELECT code, state, voucher_id, created_at FROM vouchers WHERE key = ?", (key,)
        ).fetchone()

    def created_count(self, shop_id: str) -> int:
        row = self._db.conn.execute(
            "SELECT COUNT(*) FROM vouchers WHERE shop_id = ? AND state = 'created'", (shop_id,)
        ).fetchone()
        return int(row[0])

    def _check_caps(self, shop_id: str, region: str, value: float, settings: ShopSettings) -> None:
        since = local_day_start(self._clock(), region)
        count, total = self._db.conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(value), 0) FROM vouchers WHERE shop_id = ?"
            " AND state IN ('pending','created') AND created_at >= ?", (shop_id, since),
        ).fetchone()
        if count >= settings.voucher_daily_count_cap:
            raise VoucherError("voucher_daily_count_cap", retry=True)
        if total + value > settings.voucher_daily_value_cap:
            raise VoucherError("voucher_daily_value_cap", retry=True)

    def _claim(self, key: str, shop_id: str, buyer_id: str, plan: str, value: float) -> str:
        """Persist the key and a fresh code before any API call (A3)."""
        now = self._clock()
        code = new_code()
        with self._db.tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO vouchers (key, shop_id, buyer_id, plan, code, state,"
                " value, created_at, updated_at) VALUES (?,?,?,?,?,'pending',?,?,?)",
                (key, shop_id, buyer_id, plan, code, value, now, now),
            )
        return code

    def _settle(self, key: str, state: str, voucher_id: str | None = None,
                error: str | None = None, code: str | None = None) -> None:
        with self._db.tx() as conn:
            conn.execute(
                "UPDATE vouchers SET state = ?, voucher_id = COALESCE(?, voucher_id), error = ?,"
                " code = COALESCE(?, code), updated_at = ? WHERE key = ?",
                (state, voucher_id, error, code, self._clock(), key),
            )

    async def _find_existing(self, shop_id: str, code: str) -> tuple[str, int, int] | None:
        """After an unknown outcome: did our code land? (the code is our idempotency witness)"""
        for page_no in range(1, VOUCHER_LIST_PAGES + 1):
            payload = await self._client.get(
                "/api/v2/voucher/get_voucher_list", shop_id, status="all", page_no=page_no,
                page_size=100,
            )
            for row in payload.get("voucher_list", []):
                if str(row.get("voucher_code")) == code:
                    return (str(row["voucher_id"]), int(row.get("start_time", 0)),
                            int(row.get("end_time", 0)))
            if not payload.get("more"):
                return None
        return None

    async def ensure(self, key: str, shop_id: str, buyer_id: str, region: str,
                     settings: ShopSettings) -> Voucher:
        """The voucher for `key`: the one already made, or a new one (never two)."""
        spec = settings.plan(REPURCHASE).voucher or VoucherSpec()
        row = self._row(key)
        if row is not None and row[1] == "created":
            return self._stored(key)
        if row is not None and row[1] == "pending":
            code = row[0]
            try:
                found = await self._find_existing(shop_id, code)
            except ShopeeError as exc:
                raise VoucherError("voucher_check_failed", retry=True) from exc
            if found is not None:
                self._settle(key, "created", voucher_id=found[0])
                self._remember_times(key, found[1], found[2])
                return self._stored(key)
        else:
            self._check_caps(shop_id, region, spec.value, settings)
            code = self._claim(key, shop_id, buyer_id, REPURCHASE, spec.value)
        for _attempt in range(3):
            start = int(self._clock()) + 60
            end = start + spec.validity_days * 86400
            try:
                created = await self._client.add_voucher(shop_id, self._voucher(code, spec, start,
                                                                                 end))
            except WriteOutcomeUnknownError as exc:
                raise VoucherError("voucher_outcome_unknown", retry=True) from exc
            except ShopeeAPIError as exc:
                if exc.error == "voucher.voucher_code_duplicate_error":
                    code = new_code()
                    self._settle(key, "pending", code=code)
                    continue
                self._settle(key, "failed", error=exc.error)
                raise VoucherError(f"voucher_refused:{exc.error}", retry=False) from exc
            except ShopeeError as exc:
                raise VoucherError("voucher_api_unavailable", retry=True) from exc
            self._settle(key, "created", voucher_id=created.voucher_id)
            self._remember_times(key, start, end)
            return self._stored(key)
        raise VoucherError("voucher_code_collisions", retry=True)

    @staticmethod
    def _voucher(code: str, spec: VoucherSpec, start: int, end: int) -> NewVoucher:
        fields: dict[str, object] = {
            "voucher_name": f"Thank you {code}", "voucher_code": code, "start_time": start,
            "end_time": end, "voucher_type": 1, "usage_quantity": spec.usage_quantity,
            "min_basket_price": spec.min_basket_price, "display_channel_list": [],
        }
        if spec.reward == "fixed":
            fields.update(reward_type=1, discount_amount=spec.discount_amount)
        else:
            fields.update(reward_type=2, percentage=spec.percentage, max_price=spec.max_price)
        return NewVoucher.model_validate(fields)

    def _remember_times(self, key: str, start: int, end: int) -> None:
        with self._db.tx() as conn:
            conn.execute("UPDATE vouchers SET start_time = ?, end_time = ? WHERE key = ?",
                         (start, end, key))

    def _stored(self, key: str) -> Voucher:
        row = self._db.conn.execute(
            "SELECT code, voucher_id, start_time, end_time FROM vouchers WHERE key = ?", (key,)
        ).fetchone()
        code, voucher_id, start, end = row or ("", "", 0, 0)
        return Voucher(code, str(voucher_id or ""), int(start or 0), int(end or 0))
