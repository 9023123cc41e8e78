"""The reading room and the JSON API (Starlette). Calls the library only; no SQL here."""
