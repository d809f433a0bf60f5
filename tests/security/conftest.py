"""Security tests attack the real servers; most share the channel tests' stack
(tests/channels/stack.py: channel secrets, a fake Graph/Twilio API, a console token)."""

from __future__ import annotations

import pytest

from tests.channels.stack import ChannelStack


@pytest.fixture(scope="session")
def cs(channel_stack: ChannelStack) -> ChannelStack:
    return channel_stack
