"""``omsgraph serve``: the release as linked data, pages, search and a SPARQL endpoint (Starlette)."""

from __future__ import annotations

from .app import Settings, create_app

__all__ = ["Settings", "create_app", "run"]


def run(host: str, port: int, settings: Settings) -> None:
    """Serve until interrupted; the access log goes to standard error."""
    import threading

    import uvicorn

    from .app import warm

    app = create_app(settings)
    threading.Thread(target=warm, args=(app.state.site,), daemon=True, name="warm").start()
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=True)
    finally:
        runner = settings.extra.get("runner")
        if runner is not None:
            runner.close()
