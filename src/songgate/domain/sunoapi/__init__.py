"""sunoapi.org's dialect (``/api/v1/*``), as songgate both serves it and relays to it.

The names, statuses and shapes of that dialect live here once: the relay's
``sunoapi-v1`` adapter and the ``/api/v1`` routes read the same tables.
"""
