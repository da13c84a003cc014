// The SPARQL editor: a textarea with example queries, posting to /sparql and showing a results table.

import {sparql} from "./api.js";
import {h, clear, errorBox, table, valueLink} from "./dom.js";

/** The prefixes the editor declares for you when a query uses them undeclared (as kg query does). */
export const STANDARD_PREFIXES = {
  pg: "https://w3id.org/papergraph/ontology#", rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#", xsd: "http://www.w3.org/2001/XMLSchema#",
  owl: "http://www.w3.org/2002/07/owl#", skos: "http://www.w3.org/2004/02/skos/core#",
  dcterms: "http://purl.org/dc/terms/", prov: "http://www.w3.org/ns/prov#", schema: "https://schema.org/",
  dcat: "http://www.w3.org/ns/dcat#",
};

export function withPrefixes(text) {
  const declared = new Set([...text.matchAll(/^\s*PREFIX\s+([A-Za-z][\w.-]*)?:/gim)].map((m) => m[1] || ""));
  const missing = Object.entries(STANDARD_PREFIXES).filter(([p]) => !declared.has(p) && new RegExp(`(^|[^\\w])${p}:`).test(text));
  return missing.map(([p, iri]) => `PREFIX ${p}: <${iri}>\n`).join("") + text;
}

const PREFIXES = `PREFIX pg: <https://w3id.org/papergraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
`;

export const EXAMPLES = {
  "Papers and their titles": `${PREFIXES}
SELECT ?paper ?title WHERE {
  ?paper a pg:Paper ; dcterms:title ?title .
}
ORDER BY ?title
LIMIT 25`,
  "Most used datasets": `${PREFIXES}
SELECT ?dataset ?label (COUNT(DISTINCT ?paper) AS ?papers) WHERE {
  ?paper pg:usesDataset|pg:evaluatesOn ?dataset .
  ?dataset rdfs:label ?label .
}
GROUP BY ?dataset ?label
ORDER BY DESC(?papers)
LIMIT 20`,
  "Scores with their benchmark": `${PREFIXES}
SELECT ?benchmark ?metric ?value ?title WHERE {
  ?paper pg:reportsResult ?result ; dcterms:title ?title .
  ?result a pg:Score ; pg:onDataset/rdfs:label ?benchmark ; pg:value ?value .
  OPTIONAL { ?result pg:metricLabel ?metric }
}
ORDER BY ?benchmark ?metric DESC(?value)
LIMIT 50`,
  "Evidence sentences for 'proposes'": `PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
${PREFIXES}
SELECT ?title ?method ?sentence WHERE {
  ?e rdf:predicate pg:proposesMethod ; rdf:subject ?paper ; rdf:object ?m ; pg:sentence ?sentence .
  ?paper dcterms:title ?title . ?m rdfs:label ?method .
}
LIMIT 25`,
  "Classes and how many of each": `SELECT ?class (COUNT(*) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)`,
  "One paper's graph (CONSTRUCT)": `${PREFIXES}
CONSTRUCT { ?paper ?p ?o } WHERE {
  { SELECT ?paper WHERE { ?paper a pg:Paper } LIMIT 1 }
  ?paper ?p ?o .
}`,
};

export function editorPage(main) {
  const names = Object.keys(EXAMPLES);
  const params = new URLSearchParams(location.search);
  const textarea = h("textarea", {id: "sparql-text", rows: 14, spellcheck: "false", "aria-label": "SPARQL query"});
  textarea.value = params.get("query") || EXAMPLES[names[0]];
  const select = h("select", {id: "examples", "aria-label": "Example queries"},
    h("option", {value: ""}, "Examples…"), names.map((n) => h("option", {value: n}, n)));
  const status = h("span", {class: "status muted", id: "sparql-status"});
  const output = h("div", {id: "sparql-results"});
  const button = h("button", {type: "submit", id: "run-sparql"}, "Run ▶");
  let controller = null;
  const run = async () => {
    controller?.abort();
    controller = new AbortController();
    clear(output);
    status.textContent = "Running…";
    button.disabled = true;
    try {
      const answer = await sparql(withPrefixes(textarea.value), {signal: controller.signal});
      status.textContent = "";
      output.append(render(answer, status));
      const url = new URL(location.href);
      url.searchParams.set("query", textarea.value);
      history.replaceState(null, "", url);
    } catch (error) {
      if (error.name === "AbortError") return;
      status.textContent = "";
      output.append(errorBox(error));
    } finally {
      button.disabled = false;
    }
  };
  select.addEventListener("change", () => {
    if (select.value) textarea.value = EXAMPLES[select.value];
    select.value = "";
    textarea.focus();
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  const form = h("form", {class: "editor", onsubmit: (event) => { event.preventDefault(); run(); }},
    textarea, h("p", {class: "editor-tools"}, button, " ", select, " ", status,
      h("span", {class: "muted"}, " Ctrl+Enter runs · undeclared standard prefixes (pg, rdf, rdfs, dcterms, skos, xsd, owl, prov, schema, dcat) are added for you")));
  clear(main).append(h("h1", {}, "SPARQL"), form, output);
  textarea.focus();
}

function render(answer, status) {
  const truncated = answer.truncated ? " (cut at the server's row cap)" : "";
  if (answer.kind === "graph") {
    const lines = answer.text.split("\n").filter(Boolean).length;
    status.textContent = `${lines} triples in ${answer.elapsed.toFixed(0)} ms${truncated}`;
    return h("pre", {class: "triples"}, answer.text);
  }
  const data = answer.data;
  if ("boolean" in data) {
    status.textContent = `answered in ${answer.elapsed.toFixed(0)} ms`;
    return h("p", {class: "boolean"}, String(data.boolean));
  }
  const vars = data.head.vars;
  const rows = data.results.bindings.map((b) => vars.map((v) => b[v]));
  status.textContent = `${rows.length} row${rows.length === 1 ? "" : "s"} in ${answer.elapsed.toFixed(0)} ms${truncated}`;
  return table(vars, rows, (term) => {
    if (!term) return "";
    if (term.type === "uri") return valueLink(term.value);
    if (term.type === "bnode") return "_:" + term.value;
    return term.value;
  });
}
