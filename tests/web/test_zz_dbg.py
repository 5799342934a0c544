import asyncio, httpx, json
from tests.web.test_ws_assist import *
from tests.web.test_ws_assist import _queued_review_request
from companion.web.routes_followups import followups_key

async def test_dbg(rig, secret, auth):
    companion, sandbox = rig
    order = await sandbox.order("SHIPPED", index=2)
    print("ORDER", order)
    o = await _queued_review_request(companion, sandbox, auth, index=2)
    svc = companion.server.app[followups_key]
    rows = svc.schedule.list(limit=500)
    print("N", len(rows))
    for r in rows:
        if r.order_sn == order["order_sn"]:
            print("ROW", r)
    from collections import Counter
    print(Counter((r.state, r.reason) for r in rows))
    resp = await companion.post("/api/v1/followups/run", headers=auth)
    print(await resp.json())
