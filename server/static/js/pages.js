// The home page, search results, leaderboards and the full-screen graph.

import {canned} from "./api.js";
import {h, clear, local, entityHref, kindBadge, section, errorBox, valueLink} from "./dom.js";
import {graphSection} from "./entity.js";

export async function homePage(main) {
  clear(main).append(
    h("section", {class: "intro"},
      h("h1", {}, "Machine-learning papers as a knowledge graph"),
      h("p", {}, "Datasets, benchmarks, methods, models, tasks, code and results extracted from paper titles and abstracts. ",
        "Search above, browse the most used entities below, open a leaderboard, or ask anything in ",
        h("a", {href: "/editor", "data-link": true}, "SPARQL"), ".")));
  const grid = h("div", {class: "grid"});
  main.append(grid);
  const lists = [
    ["Most used datasets", "most-used-datasets", "dataset"],
    ["Most used methods", "most-used-methods", "method"],
    ["Most used models", "most-used-models", "model"],
  ];
  await Promise.all([
    ...lists.map(async ([title, name, key]) => {
      const card = section(title, h("p", {class: "muted"}, "Loading…"));
      grid.append(card);
      try {
        const body = await canned(name, {_limit: 10});
        card.lastChild.replaceWith(body.rows.length ? h("ol", {class: "counts"}, body.rows.map((r) => h("li", {},
          h("a", {href: entityHref(r[key]), "data-link": true}, r.label), h("span", {class: "count"}, String(r.papers)))))
          : h("p", {class: "muted"}, "Nothing yet."));
      } catch (error) {
        card.lastChild.replaceWith(errorBox(error));
      }
    }),
    (async () => {
      const card = section("Leaderboards", h("p", {class: "muted"}, "Loading…"));
      grid.append(card);
      try {
        const body = await canned("benchmarks", {_limit: 10});
        card.lastChild.replaceWith(benchmarkList(body.rows));
      } catch (error) {
        card.lastChild.replaceWith(errorBox(error));
      }
    })(),
  ]);
}

function benchmarkList(rows) {
  if (!rows.length) return h("p", {class: "muted"}, "No results reported yet.");
  return h("ul", {class: "counts"}, rows.map((r) => h("li", {},
    h("a", {href: "/leaderboard?benchmark=" + encodeURIComponent(r.benchmark), "data-link": true}, r.label),
    h("span", {class: "muted"}, ` ${r.metrics || ""}`), h("span", {class: "count"}, String(r.results)))));
}

export async function searchPage(main, q) {
  clear(main).append(h("h1", {}, "Search"));
  if (!q) {
    main.append(h("p", {class: "muted"}, "Type a name in the search box."));
    return;
  }
  const body = await canned("search", {q, _limit: 50});
  main.append(h("p", {class: "muted"}, `${body.rows.length}${body.truncated ? "+" : ""} matches for “${q}”`));
  main.append(h("ul", {class: "results", id: "search-results"}, body.rows.map((r) => h("li", {},
    kindBadge(r.kind), " ", h("a", {href: entityHref(r.entity), "data-link": true}, r.label),
    r.papers ? h("span", {class: "muted"}, ` · ${r.papers} paper${r.papers === 1 ? "" : "s"}`) : null))));
}

export async function leaderboardPage(main, benchmark) {
  clear(main);
  if (!benchmark) {
    main.append(h("h1", {}, "Leaderboards"), h("p", {class: "muted"}, "Benchmarks with reported results."));
    const body = await canned("benchmarks", {_limit: 200});
    main.append(section("Benchmarks", benchmarkList(body.rows)));
    return;
  }
  const body = await canned("leaderboard", {benchmark, _limit: 1000});
  if (!body.rows.length) {
    main.append(h("h1", {}, "Leaderboard"), h("p", {}, "No results are reported on ", h("code", {}, benchmark), "."));
    return;
  }
  const first = body.rows[0];
  document.title = `${first.benchmarkLabel} leaderboard · papergraph`;
  main.append(h("h1", {}, "Leaderboard: ",
    h("a", {href: entityHref(first.benchmarkIri), "data-link": true}, first.benchmarkLabel || local(first.benchmarkIri))));
  const byMetric = new Map();
  for (const row of body.rows) {
    const metric = row.metricLabel || row.metric || "unnamed metric";
    if (!byMetric.has(metric)) byMetric.set(metric, []);
    byMetric.get(metric).push(row);
  }
  for (const [metric, rows] of byMetric) {
    const direction = rows[0].better === "lower" ? "lower is better" : "higher is better";
    main.append(section(`${metric} (${direction})`, h("div", {class: "table-wrap"}, h("table", {class: "leaderboard"},
      h("thead", {}, h("tr", {}, ["#", "Result", "Paper", "Methods", "Models", "Date"].map((c) => h("th", {scope: "col"}, c)))),
      h("tbody", {}, rows.map((r, i) => h("tr", {},
        h("td", {class: "rank"}, String(i + 1)),
        h("td", {class: "value"}, r.rawValue ?? String(r.value), r.unit && !String(r.rawValue).includes(r.unit) ? ` ${r.unit}` : ""),
        h("td", {}, valueLink(r.paper, r.title)),
        h("td", {}, r.methods || ""), h("td", {}, r.models || ""), h("td", {}, r.date || ""))))))));
  }
}

export function graphPage(main, iri, navigate) {
  clear(main).append(h("h1", {}, "Neighbourhood of ", h("a", {href: entityHref(iri), "data-link": true}, local(iri))));
  main.append(graphSection(iri, navigate, {depth: 2, height: Math.max(480, window.innerHeight - 260)}));
}
