"""System checks: the engine needs `node` on PATH and `npm ci` run in node_eval/."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

NODE_EVAL_DIR = Path(__file__).resolve().parent
HYPERFORMULA_DIR = NODE_EVAL_DIR / "node_modules" / "hyperformula"


def _uses_node_engine() -> bool:
    """Node is required only when the configured evaluator is ours."""
    return getattr(settings, "DCMODEL_EVALUATOR", "").startswith("node_eval.")


@checks.register()
def check_node_engine(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Report a missing Node.js or hyperformula install, with the command that fixes it."""
    level = checks.Error if _uses_node_engine() else checks.Warning
    node = getattr(settings, "DCMODEL_NODE", "node")
    messages: list[checks.CheckMessage] = []
    if shutil.which(node) is None:
        messages.append(
            level(
                f"Node.js ({node!r}) was not found on PATH; the HyperFormula engine cannot start.",
                hint="Install Node.js 20 or later, or point DCMODEL_NODE at the node binary.",
                id="node_eval.E001",
            )
        )
    if not HYPERFORMULA_DIR.is_dir():
        messages.append(
            level(
                f"HyperFormula is not installed ({HYPERFORMULA_DIR} is missing).",
                hint="Run `make run` (it installs it), or `npm ci` in node_eval/.",
                id="node_eval.E002",
            )
        )
    return messages
