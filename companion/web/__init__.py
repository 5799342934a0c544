"""The companion's local HTTP + WebSocket server (top layer)."""
