"""Customers' personal data, the bot service's side.

Masking where text arrives is `svar_privacy` (both processes); here: its evaluation
(`evaluate`, `presidio`), how long each kind of data is kept (`retention`) and the
purge that enforces it (`purge`, `tracker` for Rasa's store, `schedule` for the
in-service run under a lease), one person's export and erasure (`subjects`,
`holdings`, `access`), customers asking for either in words (`requests`), the log
safety net (`logs`) and the `bot privacy` commands (`cli`).
"""
