"""The channel tests share `channel_stack` (tests/channels/stack.py, registered in
tests/conftest.py so that the widget's browser test uses the same stack)."""

from tests.channels.stack import SECRETS, ChannelStack

__all__ = ["SECRETS", "ChannelStack"]
