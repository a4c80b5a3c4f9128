"""PackageTemplate.build of one replaced part (every document of a batch) takes a
path of its own, from blocks joined once: its bytes are the general path's."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from drafter.package.atomic import verify_docx_bytes
from drafter.package.writer import PackageTemplate

TEMPLATES = sorted((Path(__file__).resolve().parent.parent / "templates").glob("*.docx"))


class _TwoLong(dict):
    """One replacement that build() cannot tell from several: the general path."""

    def __len__(self) -> int:
        return 2


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_one_part_replaced_gives_the_general_paths_bytes(path):
    template = PackageTemplate.from_file(path)
    for name in template.names():  # first, middle and last parts alike
        data = template.read(name) + b"<!-- changed -->"
        level = 0 if name.endswith(".rels") else 1  # stored and deflated parts
        fast = template.build({name: data}, level=level)
        assert fast == template.build(_TwoLong({name: data}), level=level), (name, level)
        assert fast == template.build({name.upper(): data}, level=level)  # names fold case
        verify_docx_bytes(fast)
        with zipfile.ZipFile(io.BytesIO(fast)) as z:
            assert z.testzip() is None and z.read(name) == data and z.namelist() == template.names()
