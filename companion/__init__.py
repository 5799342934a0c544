"""yiwaiwai (易歪歪): a local-first smart chat assistant for Shopee sellers."""

__version__ = "0.1.0"
PROTOCOL_VERSION = 1
