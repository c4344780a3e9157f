"""Threads: a media container, then threads_publish (developers.facebook.com/docs/threads/posts).

1. POST {THREADS_API_BASE_URL}/{threads-user-id}/threads with ``media_type=TEXT`` and ``text`` -> {"id": container}
   (``media_type=IMAGE`` with ``image_url`` when the post's payload names an image).
2. POST {THREADS_API_BASE_URL}/{threads-user-id}/threads_publish with ``creation_id`` -> {"id": threads media id}.

The container's ``status`` (GET /{container-id}?fields=status) is EXPIRED, ERROR, FINISHED, IN_PROGRESS or
PUBLISHED (Threads troubleshooting: "Publishing Does Not Return a Media ID"); the permalink comes from
GET /{media-id}?fields=permalink. Text posts are limited to 500 characters, emoji counted by UTF-8 bytes
(posts/ counts that before anything is queued).

The two-step safety, the token handling (form field on POSTs, Authorization header on GETs, never in a URL)
and the error classification are Instagram's: see scheduler/publishers/instagram.py.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scheduler.publishers.instagram import ContainerPublisher
from scheduler.store import Post

DEFAULT_API_BASE_URL = "https://graph.threads.net/v1.0"


class ThreadsPublisher(ContainerPublisher):
    platform = "threads"
    label = "Threads"
    base_key = "API_BASE_URL"
    default_base_url = DEFAULT_API_BASE_URL
    create_edge = "threads"
    publish_edge = "threads_publish"
    status_field = "status"
    text_field = "text"
    list_edge = "threads"

    def container_fields(self, post: Post) -> dict[str, str]:
        text = post.payload.get("text")
        text = text if isinstance(text, str) else post.text
        image_url = post.payload.get("image_url")
        if isinstance(image_url, str) and urlsplit(image_url.strip()).scheme in ("http", "https"):
            return {"media_type": "IMAGE", "image_url": image_url.strip(), "text": text}
        return {"media_type": "TEXT", "text": text}
