"""What keeps the service up when its parts are not: the turn runner (deadline, spool, a stored
hand-off when a dependency fails), the LLM circuit, readiness checks and the metrics."""
