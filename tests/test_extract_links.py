from __future__ import annotations

from kg.extract.links import clean_url, extract_links, url_key
from kg.extract.sentences import Doc


def _links(text: str) -> list[tuple[str, str, str]]:
    return [(m.relation, m.entity.kind, m.entity.label) for m in extract_links(Doc.of("abstract", text))
            if m.entity is not None]


def test_github_repo_with_trailing_period_is_repository() -> None:
    got = _links("Code is at https://github.com/acme/widget. More soon.")
    assert got == [("hasRepository", "repository", "https://github.com/acme/widget")]


def test_bare_github_url_gets_scheme_and_keeps_tree_path() -> None:
    got = _links("See github.com/acme/widget/tree/main/tools) for details.")
    assert got == [("hasRepository", "repository", "https://github.com/acme/widget/tree/main/tools")]


def test_hub_model_and_project_page_are_links() -> None:
    got = _links("Weights: https://hf.co/acme/tiny-model, demo at https://acme.github.io/widget/.")
    assert got == [("hasLink", "link", "https://huggingface.co/acme/tiny-model"),
                   ("hasLink", "link", "https://acme.github.io/widget/")]


def test_spaces_and_gitlab_are_repositories_doi_is_link() -> None:
    got = _links("Try https://huggingface.co/spaces/acme/demo; source https://gitlab.com/a/b.git; "
                 "data https://doi.org/10.5281/zenodo.123.")
    assert [g[0] for g in got] == ["hasRepository", "hasRepository", "hasLink"]


def test_brace_junk_is_removed() -> None:
    assert clean_url("https://github.com/a/b}{footnote}") == "https://github.com/a/b"


def test_url_key_normalises_variants() -> None:
    assert url_key("https://www.GitHub.com/A/B.git") == url_key("http://github.com/a/b/") == "github.com/a/b"


def test_same_repo_written_twice_has_one_key() -> None:
    ms = extract_links(Doc.of("abstract", "At https://github.com/A/B. Also github.com/a/b/."))
    assert len({m.entity.key for m in ms if m.entity}) == 1


def test_evidence_sentence_bounds_the_url() -> None:
    text = "First sentence here. Code: https://github.com/x/y. Last one."
    m = extract_links(Doc.of("abstract", text))[0]
    assert text[m.sentence_start:m.sentence_end] == "Code: https://github.com/x/y."
    assert text[m.start:m.end] == "https://github.com/x/y"


def test_plain_text_has_no_links() -> None:
    assert _links("We compare against github-style workflows and e.g. version control.") == []
