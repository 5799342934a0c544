"""The built-in sandbox shop: a local Shopee Open Platform v2 stand-in (`create_sandbox_app`).

It never imports companion.shopee: its signature check is an independent
implementation, so the client and the sandbox cannot share a mistake.
"""

from companion.sandbox.app import create_sandbox_app

__all__ = ["create_sandbox_app"]
