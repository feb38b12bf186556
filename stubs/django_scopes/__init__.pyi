# django-scopes ships no types. Only what Approdi uses is declared here.
from contextlib import AbstractContextManager
from typing import Any, TypeVar, overload

from django.db import models

_M = TypeVar("_M", bound=models.Manager[Any])

class ScopeError(Exception): ...

# The manager's class is generated at run time, so the model is not known here: Manager[Any].
@overload
def ScopedManager(**scopes: str) -> models.Manager[Any]: ...
@overload
def ScopedManager(_manager_class: type[_M], **scopes: str) -> _M: ...
def scope(**scope_kwargs: Any) -> AbstractContextManager[None]: ...
def scopes_disabled() -> AbstractContextManager[None]: ...
def get_scope() -> dict[str, Any]: ...

__all__ = ["ScopeError", "ScopedManager", "get_scope", "scope", "scopes_disabled"]
