"""The bench's import file is one the import accepts (its figures measure a real preview)."""

from bench.management.commands.bench_import import build_file
from cases.lifecycle.imports.services import parse_content
from tests.iscg.factories import UserFactory


def test_the_bench_file_is_accepted_whole():
    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    path = build_file(40)
    try:
        parsed = parse_content(path.read_bytes(), path.name, post=post)
    finally:
        path.unlink()
    assert parsed.errors == [], parsed.errors[:3]
    assert parsed.row_count == 40 and parsed.counts["beneficiaries"] == 10
