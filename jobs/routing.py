"""WebSocket routes. The live-progress consumer arrives with the background-jobs work."""

websocket_urlpatterns: list = []
