"""Rules and templates: the seller's control over every automated word.

Public interface (the pipeline and the web layer rely on it):
- `models`: `Rule`, `Conditions`, `RulePack` (one schema for the store, the REST API and
  the packs in `rules/`), `evaluation_order`.
- `facts`: `Facts` and its parts (live data, `None` = unknown).
- `engine`: `evaluate(rules, understanding, text, facts) -> Decision`, `RuleSet`, `Breaker`.
- `repository`: `RuleRepository` (TinyDB, atomic writes, history, undo).
- `packs`: `default_rules`, `load_pack`; `backtest`: `backtest`, `HistoryRecord`.
Submodules import nothing heavy; import what you use from them directly.
"""
