"""The local stack: the SAM template served in-process against an embedded moto server.

``python -m local`` runs it (``make run``); tests call :func:`start_stack`.
"""

from local.runner import Stack, start_stack

__all__ = ["Stack", "start_stack"]
