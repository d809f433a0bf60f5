"""A small Graph API client (Messenger and the WhatsApp Cloud API) on aiohttp.

The base URL is configurable so that tests point it at a local fake server.
"""

import logging
from typing import Any, Dict, Optional, Text

import aiohttp

logger = logging.getLogger(__name__)

DEFAULT_GRAPH_URL = "https://graph.facebook.com"
DEFAULT_GRAPH_VERSION = "v24.0"


class GraphClient:
    """POSTs JSON to `{base}/{version}/{path}` with the access token as a bearer token."""

    def __init__(
        self,
        access_token: Text,
        base_url: Optional[Text] = None,
        version: Optional[Text] = None,
        timeout: float = 10.0,
    ) -> None:
        self._token = access_token
        self._base = (base_url or DEFAULT_GRAPH_URL).rstrip("/")
        self._version = version or DEFAULT_GRAPH_VERSION
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def post(self, path: Text, payload: Dict[Text, Any]) -> Optional[Dict[Text, Any]]:
        """The response JSON, or None when the platform refused (logged with its error code)."""
        url = f"{self._base}/{self._version}/{path.lstrip('/')}"
        headers = {"Authorization": f"Bearer {self._token}"}
        try:
            async with (
                aiohttp.ClientSession(timeout=self._timeout) as session,
                session.post(url, json=payload, headers=headers) as response,
            ):
                body = await response.json(content_type=None)
                if response.status >= 400:
                    error = (body or {}).get("error", {}) if isinstance(body, dict) else {}
                    logger.warning(
                        "graph api %s refused: status %s code %s",
                        path,
                        response.status,
                        error.get("code"),
                    )
                    return None
                return body if isinstance(body, dict) else {}
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            logger.warning("graph api %s failed: %s", path, type(exc).__name__)
            return None
