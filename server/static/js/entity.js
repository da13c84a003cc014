// The entity page: what is known about one paper, dataset, benchmark, method, model, task or repository,
// with the evidence sentence behind every extracted relation, links out and the neighbourhood graph.

import {canned} from "./api.js";
import {PG, RDF_TYPE, h, clear, local, entityHref, valueLink, kindBadge, highlight, section, errorBox, table} from "./dom.js";
import {drawGraph} from "./graph.js";

const RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
const ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel";
const DCT = "http://purl.org/dc/terms/";
const ORDER = ["Paper", "Dataset", "Method", "Model", "Task", "Repository", "Link", "Benchmark"];
export const RELATIONS = {
  introducesDataset: ["Introduces", "Introduced by"], proposesMethod: ["Proposes", "Proposed by"],
  usesDataset: ["Uses dataset", "Used by"], evaluatesOn: ["Evaluates on", "Evaluated on by"],
  usesMethod: ["Uses method", "Used by"], usesModel: ["Uses model", "Used by"],
  addressesTask: ["Addresses task", "Addressed by"], hasRepository: ["Code", "Code of"],
  hasLink: ["Links", "Linked from"], reportsResult: ["Reports", "Reported by"], onDataset: ["Result", "Results on it"],
};

export async function entityPage(main, iri, navigate) {
  const body = await canned("entity", {entity: iri, _limit: 2000});
  clear(main);
  if (!body.rows.length) {
    main.append(h("h1", {}, "Not found"), h("p", {}, "Nothing in the graph is called ", h("code", {}, iri), "."),
      h("p", {}, h("a", {href: "/search?q=" + encodeURIComponent(iri), "data-link": true}, "Search for it instead")));
    return;
  }
  const center = body.rows[0].center;
  const out = body.rows.filter((r) => r.direction === "out");
  const incoming = body.rows.filter((r) => r.direction === "in");
  const values = (property) => [...new Set(out.filter((r) => r.property === property).map((r) => r.value))];
  const types = values(RDF_TYPE).filter((t) => t.startsWith(PG)).map(local);
  const kind = ORDER.find((k) => types.includes(k)) || "Entity";
  const label = values(RDFS_LABEL)[0] || values(DCT + "title")[0] || local(center);
  const aliases = values(ALT_LABEL);
  document.title = `${label} · papergraph`;

  const header = h("header", {class: "entity-head"},
    h("p", {class: "kinds"}, types.length ? types.map(kindBadge) : kindBadge(kind)),
    h("h1", {id: "entity-title"}, label),
    aliases.length ? h("p", {class: "aliases"}, "Also known as: ", aliases.join(" · ")) : null,
    h("p", {class: "iri"}, h("code", {}, center)));
  main.append(header);
  const isPaper = kind === "Paper";
  main.append(isPaper ? await paperSections(out, center) : entitySections(incoming, [label, ...aliases], center, kind));
  const extraBox = h("div");
  main.append(extraBox);
  main.append(graphSection(center, navigate));
  if (!isPaper) extras(extraBox, center, types, label).catch((e) => extraBox.append(errorBox(e)));
}

function linksOut(items) {
  const list = items.filter(Boolean);
  if (!list.length) return null;
  return h("p", {class: "links-out"}, list.map(([text, url]) =>
    h("a", {class: "button", href: url, target: "_blank", rel: "noopener noreferrer"}, text)));
}

function hostName(url) {
  try {
    const host = new URL(url).hostname.replace(/^www\./, "");
    if (host === "github.com") return "GitHub";
    if (host.endsWith("huggingface.co")) return "Hugging Face";
    if (host.endsWith("arxiv.org")) return "arXiv";
    return host;
  } catch {
    return url;
  }
}

async function paperSections(out, center) {
  const pick = (p) => out.filter((r) => r.property === p).map((r) => r.value);
  const wrap = h("div");
  const arxiv = pick(PG + "arxivId")[0];
  const contributions = await canned("paper-contributions", {paper: center, _limit: 500});
  const urls = [...new Set(contributions.rows.map((r) => r.url).filter(Boolean))];
  const meta = h("p", {class: "meta"},
    pick(DCT + "creator").join(", "),
    pick(DCT + "date")[0] ? ` · ${pick(DCT + "date")[0]}` : "",
    arxiv ? ` · arXiv:${arxiv}` : "");
  wrap.append(meta, linksOut([
    arxiv && ["arXiv", `https://arxiv.org/abs/${arxiv}`], arxiv && ["PDF", `https://arxiv.org/pdf/${arxiv}`],
    ...pick(PG + "url").filter((u) => !arxiv || !u.includes(arxiv)).map((u) => [hostName(u), u]),
    ...urls.map((u) => [hostName(u) + ": " + u.replace(/^https?:\/\/(www\.)?[^/]+\//, ""), u]),
  ]) || "");
  const abstract = pick(DCT + "abstract")[0];
  if (abstract) wrap.append(section("Abstract", h("p", {class: "abstract"}, abstract)));
  const evidence = new Map();
  for (const row of out) {
    if (!row.sentence) continue;
    const key = row.property + " " + row.value;
    if (!evidence.has(key)) evidence.set(key, row);
  }
  const groups = new Map();
  for (const row of contributions.rows) {
    if (!groups.has(row.relation)) groups.set(row.relation, []);
    groups.get(row.relation).push(row);
  }
  const list = h("dl", {class: "facts"});
  for (const [relation, rows] of groups) {
    list.append(h("dt", {}, (RELATIONS[relation] || [relation])[0]));
    for (const row of rows) {
      const ev = evidence.get(PG + relation + " " + row.entity);
      list.append(h("dd", {},
        h("a", {href: entityHref(row.entity), "data-link": true}, row.label || local(row.entity)),
        " ", (row.types || "").split(" ").filter(Boolean).filter((t) => t !== "Benchmark").map(kindBadge),
        ev ? evidenceLine(ev, [row.label]) : null));
    }
  }
  wrap.append(section("What this paper does", groups.size ? list : h("p", {class: "muted"}, "No extracted relations.")));
  const results = out.filter((r) => r.property === PG + "reportsResult");
  if (results.length) {
    wrap.append(section("Reported results", h("ul", {}, results.map((r) => h("li", {},
      r.valueLabel || r.value, r.sentence ? evidenceLine(r, []) : null)))));
  }
  return wrap;
}

function evidenceLine(row, words) {
  const who = [row.extractor, row.confidence != null ? `confidence ${Number(row.confidence).toFixed(2)}` : null]
    .filter(Boolean).join(", ");
  return h("blockquote", {class: "evidence"}, "“", highlight(row.sentence, words), "”",
    who ? h("span", {class: "muted"}, ` (${who})`) : null);
}

function entitySections(incoming, names, center, kind) {
  const wrap = h("div");
  const own = incoming.filter((r) => r.property !== PG + "onDataset");
  const results = incoming.filter((r) => r.property === PG + "onDataset");
  const byRelation = new Map();
  for (const row of own) {
    const relation = local(row.property);
    if (!byRelation.has(relation)) byRelation.set(relation, new Map());
    const papers = byRelation.get(relation);
    if (!papers.has(row.value)) papers.set(row.value, {row, sentences: []});
    if (row.sentence && !papers.get(row.value).sentences.includes(row.sentence)) papers.get(row.value).sentences.push(row.sentence);
  }
  const external = [
    kind === "Dataset" && ["Hugging Face datasets", "https://huggingface.co/datasets?search=" + encodeURIComponent(names[0])],
    kind === "Model" && ["Hugging Face models", "https://huggingface.co/models?search=" + encodeURIComponent(names[0])],
    ["GitHub search", "https://github.com/search?type=repositories&q=" + encodeURIComponent(names[0])],
    ["arXiv search", "https://arxiv.org/search/?searchtype=all&query=" + encodeURIComponent(names[0])],
  ];
  wrap.append(h("div", {class: "entity-links", id: "links-out"}, linksOut(external)));
  if (results.length) {
    wrap.append(section("Results reported on it",
      h("p", {}, `${results.length} result${results.length === 1 ? "" : "s"}. `,
        h("a", {class: "button", href: "/leaderboard?benchmark=" + encodeURIComponent(center), "data-link": true}, "Open the leaderboard"))));
  }
  if (!byRelation.size) wrap.append(section("Papers", h("p", {class: "muted"}, "No paper names it.")));
  for (const [relation, papers] of byRelation) {
    const title = `${(RELATIONS[relation] || [null, relation])[1]} (${papers.size})`;
    wrap.append(section(title, h("ul", {class: "papers"}, [...papers.values()].map(({row, sentences}) =>
      h("li", {}, h("a", {href: entityHref(row.value), "data-link": true}, row.valueLabel || local(row.value)),
        sentences.map((s) => evidenceLine({...row, sentence: s}, names)))))));
  }
  return wrap;
}

async function extras(box, center, types, label) {
  if (types.includes("Dataset")) {
    const [co, methods] = await Promise.all([
      canned("datasets-co-used", {dataset: center, _limit: 15}), canned("methods-with-dataset", {dataset: center, _limit: 15})]);
    if (co.rows.length) box.append(section("Often used together with", countList(co.rows, "other", "otherLabel")));
    if (methods.rows.length) box.append(section("Methods used with it", countList(methods.rows, "method", "methodLabel")));
  }
  if (types.includes("Task")) {
    const code = await canned("methods-with-code-for-task", {task: center, _limit: 50});
    if (code.rows.length) {
      box.append(section("Methods with code for this task", table(["method", "paper", "code"],
        code.rows.map((r) => [[r.method, r.methodLabel], [r.paper, r.title], [r.repositoryUrl, r.repositoryUrl]]),
        ([value, text]) => valueLink(value, text))));
    }
  }
  if (types.includes("Link") || types.includes("Repository")) {
    const url = (await canned("entity", {entity: center, _limit: 200})).rows.find((r) => r.property === PG + "url");
    if (url) box.prepend(linksOut([[hostName(url.value) + ": " + label, url.value]]));
  }
}

function countList(rows, iriKey, labelKey) {
  return h("ul", {class: "counts"}, rows.map((r) => h("li", {},
    h("a", {href: entityHref(r[iriKey]), "data-link": true}, r[labelKey] || local(r[iriKey])),
    h("span", {class: "count"}, String(r.papers)))));
}

export function graphSection(center, navigate, {depth = 1, height = 460} = {}) {
  const holder = h("div", {class: "graph-holder", id: "graph"});
  const depthSelect = h("select", {id: "graph-depth", "aria-label": "Depth"},
    h("option", {value: "1", selected: depth === 1}, "depth 1"), h("option", {value: "2", selected: depth === 2}, "depth 2"));
  const downloads = h("span", {class: "graph-downloads"});
  const load = async () => {
    const d = Number(depthSelect.value);
    clear(holder).append(h("p", {class: "muted"}, "Loading the neighbourhood…"));
    clear(downloads).append("Download: ",
      h("a", {href: `/export/gexf?entity=${encodeURIComponent(center)}&depth=${d}`, download: true}, "GEXF"), " · ",
      h("a", {href: `/export/graphml?entity=${encodeURIComponent(center)}&depth=${d}`, download: true}, "GraphML"));
    try {
      const body = await canned(d === 2 ? "neighbourhood-2" : "neighbourhood", {entity: center, _limit: 1000});
      drawGraph(holder, body.rows, {center, onOpen: (iri) => navigate(entityHref(iri)), height});
    } catch (error) {
      clear(holder).append(errorBox(error));
    }
  };
  depthSelect.addEventListener("change", load);
  const card = section("Neighbourhood", h("p", {class: "graph-tools"}, depthSelect, " ",
    h("a", {href: `/graph?iri=${encodeURIComponent(center)}`, "data-link": true}, "full screen"), " ", downloads), holder);
  requestAnimationFrame(load);
  return card;
}
