"""The TinyDB repository: atomic 0600 writes, every change in the history, undo and redo."""

from __future__ import annotations

import json
import stat

import pytest

from companion.rules.models import RulePack
from companion.rules.repository import ConflictError, RuleNotFoundError, RuleRepository
from tests.rules.conftest import rule


@pytest.fixture
def repo(tmp_path):
    repository = RuleRepository.open(tmp_path)
    yield repository
    repository.close()


def test_create_get_update_delete_round_trip_and_survive_a_reopen(tmp_path, repo):
    repo.create(rule(id="a"))
    repo.create(rule(id="b", priority=5))
    repo.update("a", rule(id="a", name="renamed"))
    repo.delete("b")
    repo.close()
    again = RuleRepository.open(tmp_path)
    try:
        assert [r.id for r in again.list()] == ["a"]
        assert again.get("a").name == "renamed"
    finally:
        again.close()


def test_the_file_is_private_and_always_whole_json(tmp_path, repo):
    repo.create(rule(id="a"))
    path = tmp_path / "rules" / "rules.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"rules", "history", "meta"}
    assert not list(path.parent.glob("*.tmp"))


def test_a_failure_inside_a_change_writes_nothing(tmp_path, repo):
    repo.create(rule(id="a"))
    before = (tmp_path / "rules" / "rules.json").read_bytes()
    with pytest.raises(RuntimeError), repo._storage.batch():
        repo._db.table("rules").truncate()
        raise RuntimeError("crash mid-change")
    assert (tmp_path / "rules" / "rules.json").read_bytes() == before
    assert [r.id for r in repo.list()] == ["a"]


def test_duplicates_unknown_ids_and_bad_orders_are_refused(repo):
    repo.create(rule(id="a"))
    with pytest.raises(ConflictError):
        repo.create(rule(id="a"))
    with pytest.raises(RuleNotFoundError):
        repo.update("zz", rule(id="zz"))
    with pytest.raises(RuleNotFoundError):
        repo.set_enabled("zz", False)
    with pytest.raises(ConflictError):
        repo.reorder(["a", "a"])


def test_every_change_is_in_the_history_with_before_after_and_time(repo):
    repo.create(rule(id="a"))
    repo.set_enabled("a", False)
    entries = repo.history()
    assert [e["op"] for e in entries] == ["disable", "create"]
    disable = entries[0]["changes"][0]
    assert disable["before"]["enabled"] is True and disable["after"]["enabled"] is False
    assert entries[0]["at"].endswith("+00:00")


def test_undo_walks_back_through_changes_and_can_itself_be_undone(repo):
    repo.create(rule(id="a", name="one"))
    repo.create(rule(id="b"))
    repo.update("a", rule(id="a", name="two"))
    repo.reorder(["b", "a"])
    repo.undo()
    assert [r.id for r in repo.list()] == ["a", "b"]
    undo_update = repo.undo()
    assert repo.get("a").name == "one"
    repo.undo(undo_update["seq"])  # redo the update
    assert repo.get("a").name == "two"


def test_undo_of_a_delete_restores_the_rule_in_its_place(repo):
    for name in "abc":
        repo.create(rule(id=name))
    repo.delete("b")
    repo.undo()
    assert [r.id for r in repo.list()] == ["a", "b", "c"]


def test_undo_refuses_when_the_rule_changed_since(repo):
    repo.create(rule(id="a"))
    first = repo.history()[0]["seq"]
    repo.update("a", rule(id="a", name="later"))
    with pytest.raises(ConflictError):
        repo.undo(first)
    assert repo.get("a").name == "later"
    with pytest.raises(RuleNotFoundError):
        repo.undo(999)


def test_history_is_bounded(tmp_path):
    repository = RuleRepository(tmp_path / "r.json", history_limit=3)
    try:
        for i in range(6):
            repository.create(rule(id=f"r{i}"))
        assert [e["seq"] for e in repository.history()] == [6, 5, 4]
    finally:
        repository.close()


def test_import_merges_templates_or_replaces_the_set(repo):
    repo.create(rule(id="a", templates={"en": "hi"}))
    repo.create(rule(id="keep"))
    merged = repo.import_pack(RulePack(name="p", rules=[rule(id="a", templates={"ms": "hai"}),
                                                        rule(id="new")]))
    assert (merged.created, merged.updated) == (["new"], ["a"])
    assert repo.get("a").templates == {"en": "hi", "ms": "hai"}
    replaced = repo.import_pack(RulePack(name="p", rules=[rule(id="only")]), "replace")
    assert [r.id for r in repo.list()] == ["only"]
    assert replaced.removed == ["a", "keep", "new"]
    repo.undo()
    assert {r.id for r in repo.list()} == {"a", "keep", "new"}


def test_the_compiled_ruleset_follows_changes(repo):
    repo.create(rule(id="a"))
    first = repo.ruleset()
    assert repo.ruleset() is first
    repo.create(rule(id="b", priority=500))
    assert [r.id for r in repo.ruleset().rules] == ["b", "a"]


def test_an_emptied_rule_set_counts_as_initialised(repo):
    assert not repo.initialised()
    repo.create(rule(id="a"))
    repo.delete("a")
    assert repo.initialised()


def test_the_list_is_the_evaluation_order_even_when_priorities_disagree_with_positions(repo):
    repo.create(rule(id="low", priority=100))
    repo.create(rule(id="high", priority=500))
    repo.create(rule(id="low2", priority=100))
    listed = [r.id for r in repo.list()]
    assert listed == ["high", "low", "low2"]
    assert listed == [r.id for r in repo.ruleset().rules]


def test_reorder_within_a_priority_band_changes_the_evaluation_order(repo):
    for name in ("a", "b", "c"):
        repo.create(rule(id=name, priority=300))
    repo.reorder(["c", "a", "b"], moved="c")
    assert [r.id for r in repo.ruleset().rules] == ["c", "a", "b"]
    assert {r.priority for r in repo.list()} == {300}


def test_a_rule_moved_into_another_band_takes_that_bands_priority(repo):
    repo.create(rule(id="top", priority=900))
    repo.create(rule(id="mid", priority=600))
    repo.create(rule(id="catch", priority=100))
    repo.reorder(["top", "catch", "mid"], moved="catch")  # "up" past mid
    assert [r.id for r in repo.ruleset().rules] == ["top", "catch", "mid"]
    assert (repo.get("catch").priority, repo.get("mid").priority) == (600, 600)
    repo.reorder(["catch", "top", "mid"], moved="top")  # "down" past catch
    assert [r.id for r in repo.ruleset().rules] == ["catch", "top", "mid"]
    assert repo.get("top").priority == 600 and repo.get("mid").priority == 600
    repo.undo()
    assert [r.id for r in repo.list()] == ["top", "catch", "mid"]
    assert repo.get("top").priority == 900


def test_a_reorder_without_a_hint_lowers_the_rules_that_must_come_later(repo):
    repo.create(rule(id="x", priority=700))
    repo.create(rule(id="y", priority=200))
    repo.reorder(["y", "x"])
    assert [r.id for r in repo.ruleset().rules] == ["y", "x"]
    assert repo.get("x").priority == 200
    with pytest.raises(RuleNotFoundError):
        repo.reorder(["x", "y"], moved="nope")
