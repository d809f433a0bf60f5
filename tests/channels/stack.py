"""One real stack (Rasa + bot service) for the channel and widget tests: channel
secrets set, the Graph and Twilio API base URLs pointed at a local fake that
records the outgoing calls, a console token and a clock inside opening hours
(so that asking for a person queues a ticket an agent can answer)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.stack import Stack, running_stack
from tests.channels.fake_platform import FakePlatform, fake_platform

FIXTURE_KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"
CONSOLE_TOKEN = "console-token-for-channel-tests"
SECRETS = {
    "WHATSAPP_VERIFY_TOKEN": "wa-verify-token",
    "WHATSAPP_APP_SECRET": "wa-app-secret",
    "WHATSAPP_ACCESS_TOKEN": "wa-access-token",
    "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
    "MESSENGER_VERIFY_TOKEN": "fb-verify-token",
    "MESSENGER_APP_SECRET": "fb-app-secret",
    "MESSENGER_PAGE_ACCESS_TOKEN": "fb-page-token",
    "TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef",
    "TWILIO_AUTH_TOKEN": "twilio-auth-token",
    "TWILIO_WHATSAPP_NUMBER": "whatsapp:+14155238886",
    "SVAR_WIDGET_SECRET": "widget-secret",
}


@dataclass
class ChannelStack:
    stack: Stack
    platform: FakePlatform


@pytest.fixture(scope="session")
def channel_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChannelStack]:
    with fake_platform() as platform:
        env = {
            **SECRETS,
            "SVAR_GRAPH_URL": platform.url,
            "SVAR_GRAPH_VERSION": "v24.0",
            "TWILIO_API_URL": platform.url,
            "BOT_CONSOLE_TOKEN": CONSOLE_TOKEN,
            "BOT_CLOCK": "2028-06-07T10:00:00+02:00",
        }
        with running_stack(FIXTURE_KB, tmp_path_factory.mktemp("channels"), env) as stack:
            yield ChannelStack(stack, platform)
