"""Nothing secret reaches a log line: query secrets, auth headers and held secret values."""

from __future__ import annotations

import logging

from companion.logsetup import RedactingFilter, SecretRegistry, redact, strip_query


def test_shopee_query_secrets_are_redacted() -> None:
    url = "https://h/api/v2/order/get_order_list?partner_id=1&timestamp=2&access_token=abc123&sign=f00d"
    text = redact(f"GET {url} failed")
    assert "abc123" not in text and "f00d" not in text
    assert "partner_id=1" in text


def test_authorization_header_values_are_redacted() -> None:
    assert "xyz" not in redact("Authorization: Bearer xyz")


def test_held_secret_values_are_masked_anywhere(caplog) -> None:
    registry = SecretRegistry()
    registry.add("shpk-super-secret-key")
    logger = logging.getLogger("test.redaction")
    logger.addFilter(RedactingFilter(registry))
    with caplog.at_level(logging.INFO, logger="test.redaction"):
        logger.info("loaded key %s for shop", "shpk-super-secret-key")
    assert "shpk-super-secret-key" not in caplog.text
    assert "[secret:-key]" in caplog.text


def test_strip_query_keeps_only_the_path() -> None:
    assert strip_query("https://h/api/v2/x?access_token=1") == "https://h/api/v2/x"
