"""The follow-up database and its SQLite side files are owner-only (buyer data)."""

from __future__ import annotations

from pathlib import Path

from companion.followups.db import FollowupDB


def test_the_database_and_its_wal_and_shm_files_are_owner_only(tmp_path: Path) -> None:
    db = FollowupDB.open(tmp_path / "data")
    try:
        with db.tx() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('probe', '1')")
        files = [db.path, Path(f"{db.path}-wal"), Path(f"{db.path}-shm")]
        assert all(f.exists() for f in files)
        assert {f.name: oct(f.stat().st_mode & 0o777) for f in files} == {
            f.name: "0o600" for f in files
        }
    finally:
        db.close()
