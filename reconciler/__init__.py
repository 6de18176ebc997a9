"""zoom-reconciler: Zoom account management as code (validate, plan, apply, export, sandbox)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("zoom-reconciler")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
