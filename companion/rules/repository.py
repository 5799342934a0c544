"""The seller's rules on disk (TinyDB, atomic writes) with a history of every change and undo.

The list order is the evaluation order (`models.evaluation_order`: priority high
to low, list position within a priority), so what the seller sees top to bottom
is what the engine reads. Reordering therefore changes evaluation: within a
priority band the position decides; a rule moved past a rule of another
priority takes that neighbour's priority (`reorder`). New rules start at
`NEW_RULE_PRIORITY`, above the catch-all and the generic answers of the
default packs, below cancellations and escalations.

Tables: `rules` (one document per rule with its list position), `history`
(one entry per change: operation, time, each touched rule before and after,
the order before and after) and `meta` (sequence counter, first-start flag).
A change and its history entry are written in one atomic batch. Undo applies
an entry's "before" side, refuses with `ConflictError` when a touched rule has
changed since, and is itself recorded (so an undo can be undone).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal

from tinydb import TinyDB

from companion.rules.engine import RuleSet
from companion.rules.models import Rule, RulePack, evaluation_order
from companion.rules.storage import AtomicJSONStorage

HISTORY_LIMIT: Final = 500
NEW_RULE_PRIORITY: Final = 650
"""A new rule's priority: above the default packs' generic answers (status, tracking, stock,
listing, size, ... at 600 and below) and the `other` catch-all (100), below their
cancellations (690-800) and escalations (880-900), which must keep winning."""
DB_NAME: Final = "rules.json"


class RuleNotFoundError(KeyError):
    """No rule (or history entry) with that id."""


class ConflictError(ValueError):
    """The change cannot apply: duplicate id, bad order list, or a rule changed since."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: list[str]
    updated: list[str]
    removed: list[str]
    change_id: int | None


def _dump(rule: Rule) -> dict[str, Any]:
    return rule.model_dump(mode="json")


class RuleRepository:
    """CRUD, ordering, packs and history over one TinyDB file; safe across threads."""

    def __init__(self, path: Path, history_limit: int = HISTORY_LIMIT,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.path = path
        self._db = TinyDB(path, storage=AtomicJSONStorage)
        self._storage: AtomicJSONStorage = self._db.storage  # type: ignore[assignment]
        self._lock = threading.RLock()
        self._history_limit = history_limit
        self._clock = clock
        self._ruleset: RuleSet | None = None

    @classmethod
    def open(cls, data_dir: Path) -> RuleRepository:
        """The repository of a companion data folder (`<data_dir>/rules/rules.json`)."""
        return cls(data_dir / "rules" / DB_NAME)

    def close(self) -> None:
        self._db.close()

    # --- reading ---------------------------------------------------------------------------------

    def list(self) -> list[Rule]:
        """Rules in evaluation order: priority high to low, stored position within a priority."""
        with self._lock:
            docs = sorted(self._db.table("rules").all(), key=lambda d: d["position"])
            return evaluation_order([Rule.model_validate(d["rule"]) for d in docs])

    def get(self, rule_id: str) -> Rule:
        rule = next((r for r in self.list() if r.id == rule_id), None)
        if rule is None:
            raise RuleNotFoundError(rule_id)
        return rule

    def ruleset(self) -> RuleSet:
        """The compiled rules, rebuilt only after a change."""
        with self._lock:
            if self._ruleset is None:
                self._ruleset = RuleSet.build(self.list())
            return self._ruleset

    def initialised(self) -> bool:
        """Whether rules were ever installed or written (an emptied set stays empty)."""
        with self._lock:
            meta = self._db.table("meta").get(doc_id=1)
            return bool(meta and meta.get("initialised")) or bool(self._db.table("rules"))

    def history(self, limit: int = 50) -> list[dict[str, Any]]:
        """Newest first."""
        with self._lock:
            entries = sorted(self._db.table("history").all(), key=lambda d: -d["seq"])
            return [dict(e) for e in entries[:limit]]

    # --- changing --------------------------------------------------------------------------------

    def create(self, rule: Rule) -> Rule:
        with self._lock:
            rules = self.list()
            if any(r.id == rule.id for r in rules):
                raise ConflictError(f"a rule with id {rule.id} exists")
            self._commit("create", rules, [*rules, rule], f"created {rule.id}")
            return rule

    def update(self, rule_id: str, rule: Rule) -> Rule:
        with self._lock:
            rules = self.list()
            self._index(rules, rule_id)
            if rule.id != rule_id and any(r.id == rule.id for r in rules):
                raise ConflictError(f"a rule with id {rule.id} exists")
            new = [rule if r.id == rule_id else r for r in rules]
            self._commit("update", rules, new, f"updated {rule_id}")
            return rule

    def delete(self, rule_id: str) -> Rule:
        with self._lock:
            rules = self.list()
            old = rules[self._index(rules, rule_id)]
            self._commit("delete", rules, [r for r in rules if r.id != rule_id],
                         f"deleted {rule_id}")
            return old

    def set_enabled(self, rule_id: str, enabled: bool) -> Rule:
        with self._lock:
            rules = self.list()
            rule = rules[self._index(rules, rule_id)].model_copy(update={"enabled": enabled})
            new = [rule if r.id == rule_id else r for r in rules]
            op = "enable" if enabled else "disable"
            self._commit(op, rules, new, f"{op}d {rule_id}")
            return rule

    def reorder(self, ids: list[str], moved: str | None = None) -> list[Rule]:
        """Make `ids` (every rule exactly once) the evaluation order.

        Priorities are adjusted only where the order asks for it: `moved` (the rule
        the seller moved, when known) takes the priority of the band it was moved
        into; any rule still above a rule of higher priority then drops to that
        priority. Within one priority the list position decides."""
        with self._lock:
            rules = self.list()
            by_id = {r.id: r for r in rules}
            if len(ids) != len(set(ids)) or set(ids) != set(by_id):
                raise ConflictError("ids must list every rule exactly once")
            if moved is not None and moved not in by_id:
                raise RuleNotFoundError(moved)
            new = _ordered_priorities([by_id[i] for i in ids], moved)
            self._commit("reorder", rules, new, "reordered rules")
            return new

    def import_pack(self, pack: RulePack, mode: Literal["merge", "replace"] = "merge",
                    op: str = "import") -> ImportResult:
        """`replace`: the pack becomes the rule set. `merge`: new ids are appended; existing
        ids take the pack's rule, keeping templates in languages the pack does not have."""
        with self._lock:
            rules = self.list()
            new = list(pack.rules) if mode == "replace" else _merge(rules, pack.rules)
            old_ids, new_ids = {r.id for r in rules}, {r.id for r in new}
            seq = self._commit(op, rules, new, f"{op} {pack.name} ({mode})")
            updated = [r.id for r in pack.rules if r.id in old_ids]
            return ImportResult(created=sorted(new_ids - old_ids),
                                updated=updated, removed=sorted(old_ids - new_ids),
                                change_id=seq)

    def install(self, rules: Iterable[Rule], name: str) -> int | None:
        """First-start install of default rules (recorded, undoable)."""
        pack = RulePack(name=name, rules=list(rules))
        return self.import_pack(pack, "replace", op="install").change_id

    def undo(self, change_id: int | None = None) -> dict[str, Any]:
        """Revert one change (default: the newest not yet undone); returns the new entry."""
        with self._lock:
            entry = self._find_undoable(change_id)
            rules = self.list()
            current = {r.id: _dump(r) for r in rules}
            for change in entry["changes"]:
                if current.get(change["rule_id"]) != change["after"]:
                    raise ConflictError(f"rule {change['rule_id']} changed after change "
                                        f"{entry['seq']}; undo the later change first")
            target = _apply_before(rules, entry)
            with self._storage.batch():
                seq = self._commit("undo", rules, target, f"undid change {entry['seq']}",
                                   undoes=entry["seq"])
                self._db.table("history").update({"undone_by": seq}, doc_ids=[entry.doc_id])
            return self.history(1)[0]

    # --- internals -------------------------------------------------------------------------------

    @staticmethod
    def _index(rules: list[Rule], rule_id: str) -> int:
        for index, rule in enumerate(rules):
            if rule.id == rule_id:
                return index
        raise RuleNotFoundError(rule_id)

    def _find_undoable(self, change_id: int | None) -> Any:
        entries = sorted(self._db.table("history").all(), key=lambda d: -d["seq"])
        if change_id is not None:
            entry = next((e for e in entries if e["seq"] == change_id), None)
            if entry is None:
                raise RuleNotFoundError(f"change {change_id}")
            if entry.get("undone_by"):
                raise ConflictError(f"change {change_id} was already undone")
            return entry
        entry = next((e for e in entries if not e.get("undone_by") and e["op"] != "undo"), None)
        if entry is None:
            raise RuleNotFoundError("nothing to undo")
        return entry

    def _commit(self, op: str, old: list[Rule], new: list[Rule], summary: str,
                undoes: int | None = None) -> int | None:
        """Write `new` as the rule set plus one history entry, atomically; None if no change."""
        new = evaluation_order(new)  # the stored order is the evaluation order
        before = {r.id: _dump(r) for r in old}
        after = {r.id: _dump(r) for r in new}
        changes = [{"rule_id": i, "before": before.get(i), "after": after.get(i)}
                   for i in dict.fromkeys([*before, *after]) if before.get(i) != after.get(i)]
        order_before, order_after = [r.id for r in old], [r.id for r in new]
        if not changes and order_before == order_after:
            return None
        with self._storage.batch():
            meta = self._db.table("meta")
            state = meta.get(doc_id=1) or {}
            seq = int(state.get("seq", 0)) + 1
            meta.truncate()
            meta.insert({"seq": seq, "initialised": True})
            table = self._db.table("rules")
            table.truncate()
            table.insert_multiple({"position": i, "rule": after[r.id]} for i, r in enumerate(new))
            self._record(seq, op, summary, changes, order_before, order_after, undoes)
        self._ruleset = None
        return seq

    def _record(self, seq: int, op: str, summary: str, changes: list[dict[str, Any]],
                order_before: list[str], order_after: list[str], undoes: int | None) -> None:
        history = self._db.table("history")
        history.insert({
            "seq": seq, "op": op, "summary": summary,
            "at": self._clock().isoformat(timespec="seconds"),
            "changes": changes, "order_before": order_before, "order_after": order_after,
            "undoes": undoes, "undone_by": None,
        })
        surplus = len(history) - self._history_limit
        if surplus > 0:
            oldest = sorted(history.all(), key=lambda d: d["seq"])[:surplus]
            history.remove(doc_ids=[d.doc_id for d in oldest])


def _ordered_priorities(order: list[Rule], moved: str | None) -> list[Rule]:
    """`order` with priorities that make it the evaluation order (non-increasing)."""
    priorities = [r.priority for r in order]
    if moved is not None:
        at = next(i for i, r in enumerate(order) if r.id == moved)
        above = priorities[at - 1] if at > 0 else 1000
        below = priorities[at + 1] if at + 1 < len(order) else 0
        priorities[at] = min(above, max(below, priorities[at]))
    for i in range(1, len(priorities)):
        priorities[i] = min(priorities[i], priorities[i - 1])
    return [r if r.priority == p else r.model_copy(update={"priority": p})
            for r, p in zip(order, priorities, strict=True)]


def _merge(rules: list[Rule], incoming: list[Rule]) -> list[Rule]:
    by_id = {r.id: r for r in rules}
    merged = list(rules)
    for rule in incoming:
        old = by_id.get(rule.id)
        if old is None:
            merged.append(rule)
            continue
        templates = {**old.templates, **rule.templates}
        merged[merged.index(old)] = rule.model_copy(update={"templates": templates})
    return merged


def _apply_before(rules: list[Rule], entry: Any) -> list[Rule]:
    """The rule list with an entry's changes reverted and its previous order restored."""
    by_id = {r.id: r for r in rules}
    for change in entry["changes"]:
        if change["before"] is None:
            by_id.pop(change["rule_id"], None)
        else:
            by_id[change["rule_id"]] = Rule.model_validate(change["before"])
    order = [i for i in entry["order_before"] if i in by_id]
    order += [i for i in by_id if i not in order]
    return [by_id[i] for i in order]
