"""Reading a configuration: one file, or a directory of files merged into one.

Every problem found is collected with its place; nothing stops at the first one. The steps:
read each file, merge the top-level keys (lists joined in path order, `policy` once, `version`
everywhere equal), substitute secrets, validate each item with pydantic, then run the checks
that span items (`validate.py`). Only a configuration without a single problem is returned.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from reconciler.config.interpolation import SECRET_FIELDS, has_reference, substitute
from reconciler.config.messages import describe, explain
from reconciler.config.sources import ConfigPath, SourceFile, SourceMap
from reconciler.config.validate import Declared, check_config
from reconciler.config.yaml_reader import YAMLSyntaxError, read_yaml
from reconciler.diagnostics import Diagnostics
from reconciler.errors import ConfigError
from reconciler.model import (
    CONFIG_VERSION,
    Config,
    ContactGroup,
    Division,
    Group,
    IdentityProvider,
    Policy,
    User,
)
from reconciler.model.fields import suggest

# section -> (item model, what one item is called in messages, the key that identifies it)
SECTIONS: dict[str, tuple[type[BaseModel], str, str]] = {
    "divisions": (Division, "division", "name"),
    "groups": (Group, "group", "name"),
    "users": (User, "user", "email"),
    "contact_groups": (ContactGroup, "contact group", "name"),
}
# Top-level mappings given at most once across all files.
SINGLES: dict[str, type[BaseModel]] = {"policy": Policy, "identity_provider": IdentityProvider}
TOP_LEVEL_KEYS = ("version", *SINGLES, *SECTIONS)
YAML_SUFFIXES = (".yaml", ".yml")
_SETTINGS_KEYS = frozenset({"settings", "lock_settings"})
# Valid identities that stand in, during validation only, for one that is malformed.
_STAND_IN = {"email": "stand-in@example.com", "name": "stand-in"}


def config_files(path: Path) -> list[Path]:
    """The files a PATH stands for: itself, or a directory's YAML files (recursive, by path)."""
    if not path.is_dir():
        return [path]
    found = [
        candidate
        for candidate in path.rglob("*")
        if candidate.suffix in YAML_SUFFIXES
        and candidate.is_file()
        and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
    ]
    return sorted(found)


def load_config(path: Path, environ: Mapping[str, str] | None = None) -> Config:
    """The configuration at `path`; raises ConfigError listing every problem found."""
    config, _ = load_config_with_sources(path, environ)
    return config


def load_config_with_sources(
    path: Path, environ: Mapping[str, str] | None = None
) -> tuple[Config, SourceMap]:
    """The configuration and where each part of it was written, for messages in later phases."""
    loader = _Loader(os.environ if environ is None else environ)
    with _cycle_collection_paused():
        return loader.load(path)


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a configuration is read.

    Reading allocates millions of small objects that all stay alive, so each automatic
    collection rescans them for nothing; at 50,000 users that is a quarter of the time.
    Reference counting still frees everything that is dropped.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class _Pending:
    """A problem located by path; turned into FILE:LINE:COL once all files are read."""

    path: ConfigPath
    at_key: bool
    message: str
    file: int | None = None  # set for paths inside one file, None for merged paths


_Single = TypeVar("_Single", bound=BaseModel)


@cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


@dataclass
class _Loader:
    environ: Mapping[str, str]
    sources: SourceMap = field(default_factory=SourceMap)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    pending: list[_Pending] = field(default_factory=list)
    items: dict[str, list[Any]] = field(default_factory=lambda: {name: [] for name in SECTIONS})
    index_maps: dict[str, list[int]] = field(
        default_factory=lambda: {name: [] for name in SECTIONS}
    )
    declared: Declared = field(default_factory=Declared)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))
    raw_singles: dict[str, Any] = field(default_factory=dict)
    single_files: dict[str, int] = field(default_factory=dict)
    version_file: int | None = None
    unreadable: bool = False

    def load(self, path: Path) -> tuple[Config, SourceMap]:
        files = config_files(path)
        if not path.exists():
            self._fail_at(str(path), "no such file or directory")
        if not files:
            self._fail_at(str(path), "no *.yaml or *.yml files in this directory")
        for file_path in files:
            self._read_file(file_path)
        self._check_version()
        policy = self._validate_single("policy", Policy) or Policy()
        identity_provider = self._validate_single("identity_provider", IdentityProvider)
        config = Config.model_construct(
            version=1,
            policy=policy,
            identity_provider=identity_provider,
            divisions=self.items["divisions"],
            groups=self.items["groups"],
            users=self.items["users"],
            contact_groups=self.items["contact_groups"],
        )
        for problem in self._located():
            self.diagnostics.add(*problem)
        if self.sources.files:
            if self.unreadable:
                self.declared.complete = False
            self.diagnostics.extend(
                check_config(config, self.sources, self.declared, self.index_maps)
            )
        if self.diagnostics:
            raise ConfigError(self.diagnostics.sorted())
        return config, self.sources

    def _fail_at(self, name: str, message: str) -> None:
        self.diagnostics.add(name, 1, 1, message)
        raise ConfigError(self.diagnostics.sorted())

    def _read_file(self, file_path: Path) -> None:
        try:
            text = file_path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.diagnostics.add(str(file_path), 1, 1, "not a UTF-8 text file")
            self.unreadable = True
            return
        except OSError as error:
            self.diagnostics.add(str(file_path), 1, 1, f"cannot read: {error.strerror}")
            self.unreadable = True
            return
        index = self.sources.add_file(SourceFile(file_path, text))
        try:
            document = read_yaml(text)
        except YAMLSyntaxError as error:
            self.diagnostics.add(str(file_path), error.line, error.col, error.message)
            self.unreadable = True
            return
        for problem in document.problems:
            self.diagnostics.add(str(file_path), problem.line, problem.col, problem.message)
        self._merge(index, document.value)

    def _merge(self, file: int, root: Any) -> None:
        if root is None:
            return
        if not isinstance(root, dict):
            self.unreadable = True
            self.pending.append(
                _Pending(
                    (),
                    False,
                    f"the top level must be a mapping of {', '.join(TOP_LEVEL_KEYS)}",
                    file,
                )
            )
            return
        for key, value in root.items():
            if key == "version":
                self._merge_version(file, value)
            elif key in SINGLES:
                self._merge_single(file, key, value)
            elif key in SECTIONS:
                self._merge_section(file, key, value)
            else:
                hint = suggest(str(key), list(TOP_LEVEL_KEYS))
                self.pending.append(
                    _Pending((key,), True, f"unknown top-level key '{key}'{hint}", file)
                )

    def _merge_version(self, file: int, value: Any) -> None:
        if isinstance(value, bool) or value != CONFIG_VERSION:
            self.pending.append(
                _Pending(
                    ("version",),
                    False,
                    f"unsupported version {value!r}; this tool reads version 1",
                    file,
                )
            )
            if self.version_file is None:
                self.version_file = file
            return
        if self.version_file is None:
            self.version_file = file
            self.sources.add_single("version", file)

    def _merge_single(self, file: int, key: str, value: Any) -> None:
        if key in self.single_files:
            first = self.sources.files[self.single_files[key]].locate((key,), key=True)
            self.pending.append(
                _Pending(
                    (key,),
                    True,
                    f"{key} may be given once; it is already defined at {first.format()}",
                    file,
                )
            )
            return
        self.single_files[key] = file
        self.sources.add_single(key, file)
        self.raw_singles[key] = value

    def _merge_section(self, file: int, section: str, value: Any) -> None:
        if value is None:
            return
        if not isinstance(value, list):
            self.declared.complete = False  # what it meant to declare is unknown
            self.pending.append(
                _Pending(
                    (section,), False, f"{section} must be a list, not {describe(value)}", file
                )
            )
            return
        self.sources.add_items(section, file, len(value))
        self._validate_items(section, value, has_reference(self.sources.files[file].text))

    def _check_version(self) -> None:
        # A file that could not be read may well hold the version: say nothing rather than guess.
        if self.version_file is None and self.sources.files and not self.unreadable:
            self.diagnostics.add(
                self.sources.files[0].name,
                1,
                1,
                "version is missing: write 'version: 1' in at least one file",
            )

    def _validate_single(self, key: str, model: type[_Single]) -> _Single | None:
        """A mapping given once (`policy`, `identity_provider`); `None` when not written."""
        raw = self.raw_singles.get(key)
        if raw is None:
            return None
        try:
            return model.model_validate(self._without_nulls(raw, (key,)))
        except ValidationError as invalid:
            for error in invalid.errors():
                problem = explain(error, model, key.replace("_", " "))
                self.pending.append(_Pending((key, *problem.path), problem.at_key, problem.message))
        # Keep the parts that are valid on their own, so checks that need them (protected users,
        # the identity provider's users) still run.
        salvaged: dict[str, Any] = {}
        if isinstance(raw, dict):
            for name, value in raw.items():
                try:
                    model.model_validate({name: value})
                except ValidationError:
                    continue
                salvaged[name] = value
        return model.model_validate(salvaged)

    def _without_nulls(self, item: Any, path: ConfigPath) -> Any:
        """Report keys written with no value, and drop them so they count as unwritten.

        Nested mappings are cleaned too, except settings blocks, whose own checker reports them.
        """
        if not isinstance(item, dict):
            return item
        values = item.values()
        if None not in values:
            for value in values:
                if type(value) is dict:
                    break
            else:
                return item
        kept = {}
        for key, value in item.items():
            if value is None:
                self.pending.append(
                    _Pending(
                        (*path, key),
                        True,
                        f"{key} has no value; write one, or leave the key out to leave it unmanaged",
                    )
                )
            elif type(value) is dict and key not in _SETTINGS_KEYS:
                kept[key] = self._without_nulls(value, (*path, key))
            else:
                kept[key] = value
        return kept

    def _prepared(self, section: str, index: int, item: Any, references: bool) -> Any:
        """The item with nulls removed and secrets substituted; problems go to `pending`."""
        path = (section, index)
        item = self._without_nulls(item, path)
        if not references or not isinstance(item, dict):
            return item
        for key, value in item.items():
            if isinstance(value, str) and has_reference(value):
                if (section, key) in SECRET_FIELDS:
                    item = self._substituted(item, key, value, (*path, key))
                else:
                    self.pending.append(
                        _Pending(
                            (*path, key),
                            False,
                            f"{key}: ${{...}} environment references are only allowed in password",
                        )
                    )
        return item

    def _substituted(
        self, item: dict[str, Any], key: str, value: str, path: ConfigPath
    ) -> dict[str, Any]:
        result = substitute(value, self.environ)
        item = dict(item)
        if result.problems:
            for problem in result.problems:
                self.pending.append(_Pending(path, False, f"{key}: {problem}"))
            del item[key]
        else:
            item[key] = result.value
        return item

    def _validate_items(self, section: str, raw: list[Any], references: bool) -> None:
        """Validate one file's items of a section as soon as it is read, so raw data is not kept.

        `references` says whether the file's text has any `${`; most files have none, and
        skipping the search per value matters at 50,000 users.
        """
        model, kind, _ = SECTIONS[section]
        first = self.counts[section]
        self.counts[section] += len(raw)
        prepared = [
            self._prepared(section, first + offset, item, references)
            for offset, item in enumerate(raw)
        ]
        try:
            self.items[section].extend(_list_adapter(model).validate_python(prepared))
            self.index_maps[section].extend(range(first, first + len(prepared)))
            return
        except ValidationError:
            pass
        for offset, item in enumerate(prepared):
            index = first + offset
            try:
                self.items[section].append(model.model_validate(item))
                self.index_maps[section].append(index)
            except ValidationError as invalid:
                for error in invalid.errors():
                    problem = explain(error, model, kind)
                    self.pending.append(
                        _Pending((section, index, *problem.path), problem.at_key, problem.message)
                    )
                self._salvage(section, index, item, invalid)

    def _salvage(self, section: str, index: int, item: Any, invalid: ValidationError) -> None:
        """Keep what is valid of a refused item, so the checks across items still see it.

        The configuration is refused anyway; this only lets one run report the item's other
        mistakes too (an undeclared group next to a mistyped key, say).
        """
        model, _, identity = SECTIONS[section]
        if not isinstance(item, dict):
            return
        at_fault = {error["loc"][0] for error in invalid.errors() if error["loc"]}
        written = item.get(identity)
        if isinstance(written, str):
            self.declared.add(section, written)
        kept_fields = {k: v for k, v in item.items() if k not in at_fault}
        if identity in at_fault:
            # A malformed email or name still identifies the item as written, so its
            # references are checked too; one that is missing or not text does not.
            if not isinstance(written, str) or not written.strip():
                return
            kept_fields[identity] = _STAND_IN[identity]
        try:
            kept = model.model_validate(kept_fields)
        except ValidationError:
            return
        if identity in at_fault:
            kept = kept.model_copy(update={identity: written})
        self.items[section].append(kept)
        self.index_maps[section].append(index)

    def _located(self) -> list[tuple[str, int, int, str]]:
        located = []
        for pending in self.pending:
            if pending.file is not None:
                where = self.sources.files[pending.file].locate(pending.path, key=pending.at_key)
            else:
                where = self.sources.locate(pending.path, key=pending.at_key)
            located.append((where.file, where.line, where.col, pending.message))
        return located
