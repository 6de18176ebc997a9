"""The GitHub Action's side of zoom-reconciler: what `action.yml` runs after installing the tool.

It runs the CLI as a user would (validate, plan, apply), reads the JSON plan the CLI writes,
and speaks the runner's file protocols (step outputs, job summary) and GitHub's REST API (one
pull-request comment per label, edited in place). Entry point: `zoom-reconciler github run`.
"""

from reconciler.github.action import run_action
from reconciler.github.inputs import ActionInputs, Command, CommentMode, FailureReason

__all__ = ["ActionInputs", "Command", "CommentMode", "FailureReason", "run_action"]
