"""Proactive follow-ups within Shopee's rules: review requests, repurchase vouchers, delivery care.

    watch.py     order status changes (get_order_list by update_time, push hints), persisted
    plans.py     the three plans, their per-shop settings, templates and voucher creation
    schedule.py  the persisted schedule: states, catch-up window, quiet hours, per-buyer cap
    policy.py    the verdict at the moment a follow-up is due (platform rules, send restrictions)
    service.py   the loop that ties them together, person-approved sends, outcome metrics

Everything reads time from an injected clock (`Clock`), never from `time.time()`
directly, so tests can move days forward against the sandbox.
"""

from companion.followups.db import Clock, FollowupDB
from companion.followups.service import FollowupService

__all__ = ["Clock", "FollowupDB", "FollowupService"]
