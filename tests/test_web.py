"""The web page end to end in headless Chromium (Debian's, driven by Playwright; no browser download):
search with suggestions, entity pages with evidence, a leaderboard, the SPARQL editor, the graph."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from tests._corpus import GSM8K, WIKITEXT, build_corpus_store, iri_of
from tests.conftest import start_server

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = build_corpus_store(tmp_path_factory.mktemp("web") / "store")
    with start_server(store, "--timeout", "10") as live:
        yield live.url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    """A fresh page that records console errors and every host it talks to."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.problems = []  # type: ignore[attr-defined]
    page.hosts = set()  # type: ignore[attr-defined]
    page.failures = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and not m.text.startswith("Failed to load resource")
            and page.problems.append(m.text))  # type: ignore[attr-defined]
    page.on("response", lambda r: r.status >= 400 and page.failures.append(f"{r.status} {urlparse(r.url).path}"))  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.problems.append(str(e)))  # type: ignore[attr-defined]
    page.on("request", lambda r: page.hosts.add(urlparse(r.url).netloc))  # type: ignore[attr-defined]
    yield page
    problems, hosts, failures = page.problems, page.hosts, page.failures  # type: ignore[attr-defined]
    context.close()
    assert problems == [], problems
    assert failures == [], f"unexpected failed requests: {failures}"
    assert hosts <= {urlparse(server).netloc}, f"the page fetched from elsewhere: {hosts}"


def test_search_suggestions_open_an_entity(page: object, server: str) -> None:
    page.goto(server + "/")  # type: ignore[attr-defined]
    page.wait_for_selector("text=Most used datasets")  # type: ignore[attr-defined]
    page.fill("#search", "gsm")  # type: ignore[attr-defined]
    suggestion = page.wait_for_selector("#suggestions li:has-text('GSM8K')")  # type: ignore[attr-defined]
    assert "Dataset" in suggestion.inner_text()
    page.keyboard.press("ArrowDown")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_selector("#entity-title:has-text('GSM8K')")  # type: ignore[attr-defined]
    assert page.url.endswith("/entity?iri=" + quote(iri_of(GSM8K), safe=""))  # type: ignore[attr-defined]
    body = page.inner_text("main")  # type: ignore[attr-defined]
    assert "Grade School Math 8K" in body  # aliases
    assert "We introduce GSM8K, a dataset of grade school math word problems." in body  # evidence sentence
    assert page.locator("blockquote.evidence mark").first.inner_text() == "GSM8K"  # type: ignore[attr-defined]
    hf = page.get_attribute("#links-out a:has-text('Hugging Face')", "href")  # type: ignore[attr-defined]
    assert hf.startswith("https://huggingface.co/datasets?search=")
    page.click("a:has-text('Open the leaderboard')")  # type: ignore[attr-defined]
    page.wait_for_selector("table.leaderboard")  # type: ignore[attr-defined]


def test_full_search_results_and_a_paper_page(page: object, server: str) -> None:
    page.goto(server + "/")  # type: ignore[attr-defined]
    page.fill("#search", "chain")  # type: ignore[attr-defined]
    page.press("#search", "Enter")  # type: ignore[attr-defined]
    page.wait_for_selector("#search-results li")  # type: ignore[attr-defined]
    page.click("#search-results a:has-text('Chain-of-Thought Prompting Elicits')")  # type: ignore[attr-defined]
    page.wait_for_selector("#entity-title:has-text('Chain-of-Thought Prompting Elicits')")  # type: ignore[attr-defined]
    assert page.get_attribute("a.button:has-text('arXiv')", "href") == "https://arxiv.org/abs/2201.11903"  # type: ignore[attr-defined]
    assert page.get_attribute("a.button:has-text('GitHub')", "href") == "https://github.com/example/cot"  # type: ignore[attr-defined]
    facts = page.inner_text("dl.facts")  # type: ignore[attr-defined]
    for expected in ("Proposes", "Chain-of-Thought Prompting", "Evaluates on", "GSM8K", "Uses model", "PaLM", "Code"):
        assert expected in facts
    assert "“We propose chain of thought prompting for math word problems.”" in facts
    page.click("dl.facts a:has-text('PaLM')")  # type: ignore[attr-defined]
    page.wait_for_selector("#entity-title:has-text('PaLM')")  # type: ignore[attr-defined]
    assert "Model" in page.inner_text(".kinds")  # type: ignore[attr-defined]


def test_leaderboard_ranks_lower_perplexity_first(page: object, server: str) -> None:
    page.goto(server + "/leaderboard?benchmark=" + quote(iri_of(WIKITEXT), safe=""))  # type: ignore[attr-defined]
    page.wait_for_selector("table.leaderboard")  # type: ignore[attr-defined]
    assert "Perplexity (lower is better)" in page.inner_text("main")  # the metric's display label  # type: ignore[attr-defined]
    values = page.locator("table.leaderboard td.value").all_inner_texts()  # type: ignore[attr-defined]
    assert values == ["18.3", "24.0"]
    page.goto(server + "/leaderboard")  # type: ignore[attr-defined]
    page.wait_for_selector("main li a:has-text('WikiText-103')")  # type: ignore[attr-defined]


def test_sparql_editor_shows_a_results_table(page: object, server: str) -> None:
    page.goto(server + "/editor")  # type: ignore[attr-defined]
    page.fill("#sparql-text", "SELECT ?title WHERE { ?p a pg:Paper ; dcterms:title ?title } ORDER BY ?title")  # type: ignore[attr-defined]
    page.click("#run-sparql")  # type: ignore[attr-defined]
    page.wait_for_selector("#sparql-results table")  # type: ignore[attr-defined]
    cells = page.locator("#sparql-results tbody td").all_inner_texts()  # type: ignore[attr-defined]
    assert cells[0] == "Another Look at WikiText-103 Perplexity" and len(cells) == 8
    assert re.match(r"8 rows in \d+ ms", page.inner_text("#sparql-status"))  # type: ignore[attr-defined]
    page.select_option("#examples", "Most used datasets")  # type: ignore[attr-defined]
    page.keyboard.press("Control+Enter")  # type: ignore[attr-defined]
    page.wait_for_selector("#sparql-results td:has-text('GSM8K')")  # type: ignore[attr-defined]
    page.fill("#sparql-text", "SELECT WHERE {")  # type: ignore[attr-defined]
    page.click("#run-sparql")  # type: ignore[attr-defined]
    assert "HTTP 400" in page.wait_for_selector("#sparql-results .error").inner_text()  # type: ignore[attr-defined]
    assert page.failures == ["400 /sparql"]  # type: ignore[attr-defined]
    page.failures.clear()  # type: ignore[attr-defined]


def test_neighbourhood_graph_is_drawn_and_clickable(page: object, server: str) -> None:
    page.goto(server + "/entity?iri=" + quote(iri_of(GSM8K), safe=""))  # type: ignore[attr-defined]
    svg = page.wait_for_selector("#graph svg.graph[data-state='done']")  # type: ignore[attr-defined]
    assert int(svg.get_attribute("data-nodes")) == 4 and int(svg.get_attribute("data-edges")) == 5
    assert page.locator("#graph svg circle").count() == 4  # type: ignore[attr-defined]
    assert page.locator("#graph svg line").count() == 5  # type: ignore[attr-defined]
    box = page.locator("#graph svg .node.center").bounding_box()  # type: ignore[attr-defined]
    assert box and box["width"] > 0
    positions = {page.locator(f"#graph svg .node >> nth={i}").get_attribute("transform") for i in range(4)}  # type: ignore[attr-defined]
    assert len(positions) == 4, "nodes were laid out apart"
    page.select_option("#graph-depth", "2")  # type: ignore[attr-defined]
    deeper = page.wait_for_selector("#graph svg.graph[data-state='done']")  # type: ignore[attr-defined]
    assert int(deeper.get_attribute("data-nodes")) > 4
    page.click("#graph svg .node[data-kind='Paper'] circle >> nth=0")  # type: ignore[attr-defined]
    page.wait_for_selector("main[data-page='entity'] .kinds:has-text('Paper')")  # type: ignore[attr-defined]


def test_hostile_labels_render_as_text(page: object, server: str) -> None:
    page.goto(server + "/search?q=" + quote('"} ; DROP'))  # type: ignore[attr-defined]
    link = page.wait_for_selector("#search-results a")  # type: ignore[attr-defined]
    assert link.inner_text() == 'Evil "} ; DROP ALL ; #'
    page.goto(server + "/entity?iri=" + quote("<script>alert(1)</script>"))  # type: ignore[attr-defined]
    page.wait_for_selector("h1:has-text('Not found')")  # type: ignore[attr-defined]
    assert "<script>alert(1)</script>" in page.inner_text("main")  # type: ignore[attr-defined]


def test_download_buttons_point_at_the_exports(page: object, server: str) -> None:
    page.goto(server + "/")  # type: ignore[attr-defined]
    hrefs = page.locator("footer .downloads a").evaluate_all("links => links.map(a => a.getAttribute('href'))")  # type: ignore[attr-defined]
    assert hrefs == ["/export/gexf?view=entities", "/export/graphml", "/export/csv", "/export/nquads", "/export/turtle"]
