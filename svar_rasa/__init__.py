"""Code that runs inside the Rasa process (Python 3.10): Rasa and the standard library only.

Nothing on the bot-service side imports this package.
"""
