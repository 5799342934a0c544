"""`yiwaiwai rules` offline: validate packs, import / export a data folder, dry-run a message."""

from __future__ import annotations

import json

from companion.cli import main
from companion.rules.packs import default_pack_path
from tests.rules.test_seed import SEED


def test_validate_accepts_the_shipped_packs_and_names_the_bad_field(tmp_path, capsys):
    assert main(["rules", "validate", str(default_pack_path("en")),
                 str(default_pack_path("th", "lively"))]) == 0
    assert "68 rules" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "p", "rules": [
        {"id": "a", "name": "a", "action": "auto_reply", "templates": {"en": "{{nope}}"}}]}))
    assert main(["rules", "validate", str(bad)]) == 1
    assert "rules.0.templates.en" in capsys.readouterr().err


def test_import_then_export_round_trips_through_the_data_folder(tmp_path, capsys):
    home = str(tmp_path / "home")
    assert main(["rules", "import", "--defaults", "--languages", "zh-Hant", "--voice", "warm",
                 "--data-dir", home]) == 0
    out = tmp_path / "out.json"
    assert main(["rules", "export", "--data-dir", home, "--output", str(out)]) == 0
    pack = json.loads(out.read_text(encoding="utf-8"))
    assert pack["languages"] == ["zh-Hant"] and len(pack["rules"]) == 68
    assert main(["rules", "import", str(out), "--mode", "replace", "--data-dir", home]) == 0
    assert "0 new, 68 updated" in capsys.readouterr().out


def test_test_dry_runs_offline_with_the_order_status_given(tmp_path, capsys):
    home = str(tmp_path / "home")
    assert main(["rules", "test", "我想取消订单", "--status", "READY_TO_SHIP",
                 "--data-dir", home]) == 0
    body = json.loads(capsys.readouterr().out)
    assert (body["rule_id"], body["reply"], body["rules"]) == \
        ("cancel.seed.ready-to-ship", SEED, "defaults")
    assert main(["rules", "test", "我想取消订单", "--status", "SHIPPED", "--data-dir", home]) == 0
    shipped = json.loads(capsys.readouterr().out)
    assert shipped["rule_id"] == "cancel.shipped" and shipped["reply"] is None
    assert "tracking_number" in shipped["fallback_reason"]
