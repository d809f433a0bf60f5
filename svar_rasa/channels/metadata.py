"""The metadata every connector attaches to a customer message.

The actions (and the handoff ticket) read `channel`, `sender`, `customer_id`
and `tier` from it, whichever channel the message came in on.
"""

from typing import Any, Dict, Optional, Text


def channel_metadata(
    channel: Text,
    sender: Text,
    customer_id: Optional[Text] = None,
    tier: Optional[Text] = None,
    **extra: Any,
) -> Dict[Text, Any]:
    """One shape for all channels; None where the channel does not know."""
    return {
        "channel": channel,
        "sender": sender,
        "customer_id": customer_id,
        "tier": tier,
        **{k: v for k, v in extra.items() if v is not None},
    }
