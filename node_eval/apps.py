"""The node_eval app: HyperFormula behind the Evaluator protocol."""

from django.apps import AppConfig


class NodeEvalConfig(AppConfig):
    name = "node_eval"
    verbose_name = "HyperFormula engine"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
