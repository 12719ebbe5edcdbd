"""readiness: judge a CRM rollout plan on its people risks before launch."""

from __future__ import annotations

__version__ = "1.0.0"
