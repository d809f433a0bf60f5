"""Channel connectors that run inside Rasa: the website widget (socket.io),
WhatsApp (Cloud API and Twilio) and Messenger.

Standard library, Rasa and Rasa's own dependencies only (aiohttp, twilio).
Every connector passes the same metadata to the actions (see `metadata.py`)
and never sends the response contract's `custom` JSON to a platform that
cannot show it.
"""
