"""WebSocket routes."""

from django.urls import path

from .consumers import ImportProgressConsumer

websocket_urlpatterns = [
    path("ws/import/<uuid:job_id>", ImportProgressConsumer.as_asgi()),
]
