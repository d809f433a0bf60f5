"""The bot service's HTTP side: rasa-sdk's action endpoint plus Svar's own blueprints."""

from bot.web.app import create_app

__all__ = ["create_app"]
