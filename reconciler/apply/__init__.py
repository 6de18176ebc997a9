"""The applier: carries out a Plan's changes against Zoom and reports each one."""

from reconciler.apply.applier import Applier, apply_changes
from reconciler.apply.report import ApplyReport, ChangeResult, Outcome

__all__ = ["Applier", "ApplyReport", "ChangeResult", "Outcome", "apply_changes"]
