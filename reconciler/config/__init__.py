"""Loading and checking configuration files: YAML in, a validated `Config` or every problem out."""

from reconciler.config.load import config_files, load_config, load_config_with_sources
from reconciler.config.protected import protected_user_warnings
from reconciler.config.sources import Location, SourceMap
from reconciler.config.undeclared import missing_member_errors, undeclared_user_warnings
from reconciler.config.user_links import pin_errors

__all__ = [
    "Location",
    "SourceMap",
    "config_files",
    "load_config",
    "load_config_with_sources",
    "missing_member_errors",
    "pin_errors",
    "protected_user_warnings",
    "undeclared_user_warnings",
]
