"""The learning loop on the real companion: correct, retrain, activate or refuse, roll back."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from aiohttp.test_utils import TestClient

from companion.cli import main
from companion.nlu import corpus
from companion.nlu.shop_examples import ShopExamples, corrections_path
from companion.nlu.shop_model import read_state, state_path
from companion.settings import Settings

MESSAGE = "can I pay with my grandma's voucher from the mall"


async def classify(client: TestClient, auth: dict[str, str], text: str = MESSAGE) -> dict:
    response = await client.post("/api/v1/model/classify", json={"text": text}, headers=auth)
    assert response.status == 200
    return await response.json()


async def train_and_wait(client: TestClient, auth: dict[str, str]) -> dict:
    response = await client.post("/api/v1/model/train", headers=auth)
    assert response.status == 202
    job = (await response.json())["job"]
    assert response.headers["Location"] == f"/api/v1/model/train/{job['id']}"
    seen = []
    # A liveness bound, not a speed check: two intent models on ~40k lines take 20-40 s here.
    for _ in range(2400):
        job = (await (await client.get(f"/api/v1/model/train/{job['id']}", headers=auth)).json())[
            "job"
        ]
        seen.append(job["progress"])
        if job["state"] != "running":
            break
        await asyncio.sleep(0.05)
    assert job["state"] != "running", "training did not finish in 120 s"
    assert job["progress"] == 1.0
    assert seen == sorted(seen)
    return job


async def test_correcting_an_intent_and_retraining_changes_the_prediction(
    companion: TestClient, auth: dict[str, str]
) -> None:
    before = await classify(companion, auth)
    assert before["intent"] != "warranty"
    assert before["model"] == "base"
    response = await companion.post(
        "/api/v1/corrections", json={"text": MESSAGE, "intent": "warranty"}, headers=auth
    )
    assert response.status == 201
    correction = (await response.json())["correction"]
    assert correction["previous_intent"] == before["intent"]
    assert correction["lang"] == "en"

    job = await train_and_wait(companion, auth)

    assert job["state"] == "activated", job
    result = job["result"]
    assert result["candidate"]["corrections"] == 1.0
    assert result["previous"]["corrections"] == 0.0
    after = await classify(companion, auth)
    assert after["intent"] == "warranty"
    assert after["model"] == result["model_id"]
    model = await (await companion.get("/api/v1/model", headers=auth)).json()
    assert model["active"] == result["model_id"]
    assert model["history"] == ["base"]
    assert model["live"]["id"] == result["model_id"]
    assert model["corrections"] == 1


async def test_rollback_restores_the_previous_model(
    companion: TestClient, auth: dict[str, str]
) -> None:
    before = await classify(companion, auth)
    await companion.post(
        "/api/v1/corrections", json={"text": MESSAGE, "intent": "warranty"}, headers=auth
    )
    assert (await train_and_wait(companion, auth))["state"] == "activated"
    assert (await classify(companion, auth))["intent"] == "warranty"

    response = await companion.post("/api/v1/model/rollback", headers=auth)

    assert response.status == 200
    body = await response.json()
    assert body["active"] == "base"
    assert body["live"]["id"] == "base"
    assert await classify(companion, auth) == before
    again = await companion.post("/api/v1/model/rollback", headers=auth)
    assert again.status == 409
    assert (await again.json())["error"] == "nothing_to_roll_back"


def poison(settings: Settings, wrong: str = "greeting", intent: str = "stock") -> int:
    """A careless seller relabels every training line of one intent: the model must refuse it."""
    shop = ShopExamples(corrections_path(settings.data_dir))
    lines = [
        ex for ex in corpus.load().examples if ex.intent == intent and ex.split == "train"
    ]
    for ex in lines:
        shop.add(ex.text, wrong, ex.lang)
    return len(lines)


async def test_a_model_that_regresses_is_refused_and_the_live_model_stays(
    companion: TestClient, auth: dict[str, str], settings: Settings
) -> None:
    assert poison(settings) > 100
    stock_question = "is this still in stock?"
    before = await classify(companion, auth, stock_question)

    job = await train_and_wait(companion, auth)

    assert job["state"] == "refused", job
    result = job["result"]
    assert result["activated"] is False
    assert "base test accuracy would fall" in result["reason"]
    assert result["candidate"]["base_test"] < result["previous"]["base_test"] - 0.01
    assert await classify(companion, auth, stock_question) == before
    assert read_state(settings.data_dir) == {"active": "base", "history": []}
    assert not [p for p in (settings.data_dir / "models").iterdir() if p.is_dir()]


async def test_training_without_corrections_is_refused_with_a_reason(
    companion: TestClient, auth: dict[str, str]
) -> None:
    response = await companion.post("/api/v1/model/train", headers=auth)
    assert response.status == 409
    assert (await response.json())["error"] == "nothing_to_learn"


async def test_a_correction_with_an_unknown_intent_is_rejected(
    companion: TestClient, auth: dict[str, str], settings: Settings
) -> None:
    response = await companion.post(
        "/api/v1/corrections", json={"text": MESSAGE, "intent": "discount"}, headers=auth
    )
    assert response.status == 422
    assert (await response.json())["error"] == "unknown_intent"
    assert not corrections_path(settings.data_dir).exists()


async def test_corrections_need_authentication(companion: TestClient) -> None:
    response = await companion.post(
        "/api/v1/corrections", json={"text": MESSAGE, "intent": "warranty"}
    )
    assert response.status == 401


async def test_corrections_are_kept_private_and_the_latest_label_wins(
    companion: TestClient, auth: dict[str, str], settings: Settings
) -> None:
    for intent in ("warranty", "promotion"):
        await companion.post(
            "/api/v1/corrections", json={"text": MESSAGE, "intent": intent}, headers=auth
        )
    body = await (await companion.get("/api/v1/corrections", headers=auth)).json()
    assert [c["intent"] for c in body["corrections"]] == ["promotion"]
    assert corrections_path(settings.data_dir).stat().st_mode & 0o077 == 0


async def test_a_model_trained_from_the_command_line_goes_live_without_restart(
    companion: TestClient,
    auth: dict[str, str],
    settings: Settings,
    capsys,
) -> None:
    await companion.post(
        "/api/v1/corrections", json={"text": MESSAGE, "intent": "warranty"}, headers=auth
    )
    data_dir = str(settings.data_dir)

    code = await asyncio.get_running_loop().run_in_executor(
        None, main, ["train", "--shop", "--data-dir", data_dir]
    )

    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["activated"] is True
    for _ in range(60):
        if (await classify(companion, auth))["model"] == printed["model_id"]:
            break
        await asyncio.sleep(0.1)
    assert (await classify(companion, auth))["intent"] == "warranty"
    assert main(["train", "--rollback", "--data-dir", data_dir]) == 0
    assert main(["train", "--rollback", "--data-dir", data_dir]) == 1
    assert json.loads(Path(state_path(settings.data_dir)).read_text())["active"] == "base"
