"""Shopee Open Platform v2 client: signing, hosts, tokens, typed calls and errors.

Public surface: `ShopeeClient`, `TokenStore`, `RetryPolicy`, the exception tree
in `companion.shopee.errors` and the models in `companion.shopee.models`.
Submodules import nothing heavy at import time.
"""

from companion.shopee.client import ShopeeClient
from companion.shopee.errors import ShopeeAPIError, ShopeeError
from companion.shopee.session import RetryPolicy
from companion.shopee.tokens import ShopTokens, TokenStore

__all__ = [
    "RetryPolicy",
    "ShopTokens",
    "ShopeeAPIError",
    "ShopeeClient",
    "ShopeeError",
    "TokenStore",
]
