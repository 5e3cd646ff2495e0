"""Prometheus metrics of the process (served on ``METRICS_PORT``, see bot.runtime.endpoint).

One :data:`METRICS` per process, in its own registry (not prometheus_client's global one).
What feeds it:

* ``coach_posts_total{slot,outcome}`` — every scheduled-post outcome (sent, failed, missed,
  taken by another process), counted by ``PostScheduler.run_cohort``.
* ``coach_scheduler_lag_seconds`` — how late APScheduler handed a job over.
* ``coach_command_duration_seconds{command}`` — slash-command latency, measured by
  ``CoachTree``.
* ``coach_database_errors_total{where}`` — database errors in commands, scheduled runs,
  periodic jobs, the LeetCode poller and the health check.
* ``coach_leetcode_polls_total{outcome}`` — LeetCode polls by outcome.
* gateway latency and connection, scheduler state and guild count are read at scrape time
  from the running bot (``bot.runtime.endpoint.HostCollector``).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
LAG_BUCKETS = (0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        self.posts = Counter(
            "coach_posts", "Scheduled posts by slot and outcome", ["slot", "outcome"], registry=r
        )
        self.scheduler_lag = Histogram(
            "coach_scheduler_lag_seconds",
            "Delay between a job's scheduled time and its start",
            buckets=LAG_BUCKETS,
            registry=r,
        )
        self.command_latency = Histogram(
            "coach_command_duration_seconds",
            "Slash-command handling time by command",
            ["command"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.database_errors = Counter(
            "coach_database_errors", "Database errors by where they happened", ["where"], registry=r
        )
        self.leetcode_polls = Counter(
            "coach_leetcode_polls", "LeetCode polls by outcome", ["outcome"], registry=r
        )

    def count_post(self, key: str, outcome: str) -> None:
        """One post outcome; ``key`` is ``"<local date>/<slot>"``."""
        self.posts.labels(key.rpartition("/")[2] or key, outcome).inc()

    def observe_command(self, command: str, seconds: float) -> None:
        self.command_latency.labels(command).observe(max(0.0, seconds))


METRICS = Metrics()
