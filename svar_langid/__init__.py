"""Language identification for Svar's languages (`corpus/<lang>.txt`), standard library only.

Both processes use it: the bot service (to answer in the customer's language)
and Rasa (to pick the language of its own responses). That is why it imports
nothing outside the standard library and lives in neither `bot/` nor the
Rasa-side package.
"""

from svar_langid.detector import Detection, LanguageDetector, detect, supported_languages

__all__ = ["Detection", "LanguageDetector", "detect", "supported_languages"]
