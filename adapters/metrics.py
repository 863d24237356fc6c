"""Prometheus metrics for the one server: what adapters count, and the HTTP middleware that times routes.

Adapters never touch prometheus-client; they call three methods on the app's
`Metrics` (`web_app[METRICS_KEY]`):

    metrics.event("slack", "message")             an event or activity handled (or "redelivery" dropped)
    metrics.nudge("slack", "contact-details")     one private nudge sent, per category it named
    metrics.error("slack", "chat.postEphemeral")  something failed and was survived

Each `Metrics` owns its registry (not prometheus-client's global one), so tests,
the benchmark and several apps in one process never see each other's counts.
Labels come from our own code (route templates, platform names, category ids,
API method names), never from request text, so their number stays small.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.aiohttp import make_aiohttp_handler

# Slack must see an acknowledgement within 3 s; the buckets are finest where that budget is spent.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Requests that matched no route share one label, so scanners cannot mint new series.
UNMATCHED = "unmatched"


class Metrics:
    """The server's counters and histograms, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self._requests = Counter(
            "thinktwice_http_requests", "HTTP requests handled", ["route", "method", "status"], registry=r
        )
        self._latency = Histogram(
            "thinktwice_http_request_duration_seconds",
            "Time to answer an HTTP request",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self._in_flight = Gauge(
            "thinktwice_http_requests_in_flight", "HTTP requests being handled now", ["route"], registry=r
        )
        self._events = Counter(
            "thinktwice_events", "Platform events and activities handled", ["platform", "kind"], registry=r
        )
        self._nudges = Counter(
            "thinktwice_nudges", "Private nudges sent, by category", ["platform", "category"], registry=r
        )
        self._errors = Counter(
            "thinktwice_errors", "Errors survived, by where they happened", ["platform", "where"], registry=r
        )
        self._reloads = Counter(
            "thinktwice_rulebook_reloads", "Rulebook reloads, by outcome", ["outcome"], registry=r
        )
        self._generation = Gauge(
            "thinktwice_rulebook_generation", "Rulebooks generation in force (1 at start-up)", registry=r
        )
        self._generation.set(1)

    # -- what adapters call -------------------------------------------------------------------------------
    def event(self, platform: str, kind: str) -> None:
        """One event or activity of this kind handled on this platform."""
        self._events.labels(platform, kind).inc()

    def nudge(self, platform: str, category: str) -> None:
        """One nudge sent for this category (call once per category a nudge named)."""
        self._nudges.labels(platform, category).inc()

    def error(self, platform: str, where: str) -> None:
        """Something failed and the bot carried on (`where`: an API method or a step, never text)."""
        self._errors.labels(platform, where).inc()

    # -- what the server calls ----------------------------------------------------------------------------
    def reload(self, *, ok: bool, generation: int) -> None:
        self._reloads.labels("ok" if ok else "refused").inc()
        self._generation.set(generation)

    def request(self, route: str, method: str, status: int, seconds: float) -> None:
        self._requests.labels(route, method, str(status)).inc()
        self._latency.labels(route).observe(seconds)

    def in_flight(self, route: str) -> Gauge:
        return self._in_flight.labels(route)


METRICS_KEY = web.AppKey("thinktwice_metrics", Metrics)

_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _route(request: web.Request) -> str:
    """The route's template (`/slack/events`), never the raw path a client sent."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else UNMATCHED


@web.middleware
async def metrics_middleware(request: web.Request, handler: _Handler) -> web.StreamResponse:
    metrics = request.app[METRICS_KEY]
    route = _route(request)
    started = time.perf_counter()
    status = 500  # what the client gets if the handler raises something that is not an HTTP answer
    try:
        with metrics.in_flight(route).track_inprogress():
            response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    except asyncio.CancelledError:
        status = 499  # the client went away first (nginx's code for it): not a server error
        raise
    finally:
        metrics.request(route, request.method, status, time.perf_counter() - started)


def install_metrics(web_app: web.Application) -> Metrics:
    """Give the app its own `Metrics`, time every route, and serve `GET /metrics`."""
    metrics = Metrics()
    web_app[METRICS_KEY] = metrics
    web_app.middlewares.append(metrics_middleware)
    web_app.router.add_get("/metrics", make_aiohttp_handler(metrics.registry))
    return metrics
