"""Background work as services: started in order in ``setup_hook``, stopped in reverse on close.

A service is anything with a ``name`` and ``start()`` / ``stop()`` coroutines. ``stop()`` must
be safe when ``start()`` never ran (or failed half-way): the registry stops every registered
service on close, so a resource a service holds (an HTTP session, a port) is released whether
or not background work was started. Registering one is one line in
:func:`bot.runtime.background.register_services`::

    services.add(SupervisedTask("voice-heartbeat", heartbeat.run))
"""

from __future__ import annotations

import logging
from typing import Protocol, TypeVar

from bot.failures import Failure

log = logging.getLogger(__name__)


class Service(Protocol):
    @property
    def name(self) -> str: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


S = TypeVar("S", bound=Service)


class ServiceStartError(Exception):
    """A service failed to start; the ones started before it were stopped again."""

    def __init__(self, name: str, cause: BaseException) -> None:
        super().__init__(f"{name}: {cause}")
        self.service = name
        self.cause = cause


class ServiceRegistry:
    def __init__(self) -> None:
        self._services: list[Service] = []
        self.started: list[str] = []

    def add(self, service: S) -> S:
        """Register ``service`` (after those already registered); returns it."""
        if any(s.name == service.name for s in self._services):
            raise ValueError(f"a service named {service.name!r} is already registered")
        self._services.append(service)
        return service

    def get(self, name: str) -> Service | None:
        return next((s for s in self._services if s.name == name), None)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self._services]

    async def start_all(self) -> None:
        """Start every service in registration order; on a failure stop the started ones."""
        for service in self._services:
            if service.name in self.started:
                continue
            try:
                await service.start()
            except Exception as exc:
                await self.stop_all()
                if isinstance(exc, Failure):  # already one clear line for the operator
                    log.debug("service %s failed to start: %s", service.name, exc)
                    raise
                log.error("service %s failed to start: %s", service.name, exc)
                raise ServiceStartError(service.name, exc) from exc
            self.started.append(service.name)
            log.debug("service %s started", service.name)

    async def stop_all(self) -> None:
        """Stop every registered service, last first; a failing stop is logged, never raised."""
        for service in reversed(self._services):
            try:
                await service.stop()
            except Exception:
                log.exception("service %s failed to stop cleanly", service.name)
        self.started.clear()
