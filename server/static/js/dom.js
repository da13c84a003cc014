// Small DOM helpers. Text always goes in as text nodes, never as HTML, so labels from the graph
// (which may contain anything, including markup) cannot inject into the page.

export const PG = "https://w3id.org/papergraph/ontology#";
export const ID = "https://w3id.org/papergraph/id/";
export const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/** Create an element: h("a", {href: "/x", class: "y"}, "text", otherNode). */
export function h(tag, attrs = {}, ...children) {
  const svg = ["svg", "g", "line", "circle", "text", "title", "path"].includes(tag);
  const el = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** The local name of an ontology IRI ("https://…#usesDataset" -> "usesDataset"). */
export function local(iri) {
  const text = String(iri ?? "");
  const cut = Math.max(text.lastIndexOf("#"), text.lastIndexOf("/"));
  return cut >= 0 ? text.slice(cut + 1) : text;
}

export function isIri(value) {
  return typeof value === "string" && /^(https?|urn|ftp|mailto):/i.test(value) && !/\s/.test(value);
}

export function entityHref(iri) {
  return "/entity?iri=" + encodeURIComponent(iri);
}

/** A link for a value: our own IRIs open their entity page, other URLs open outside. */
export function valueLink(value, label) {
  if (value === null || value === undefined || value === "") return "";
  if (typeof value === "string" && value.startsWith(ID)) {
    return h("a", {href: entityHref(value), "data-link": true}, label || value);
  }
  if (isIri(value) && /^https?:/i.test(value)) {
    return h("a", {href: value, rel: "noopener noreferrer", target: "_blank", class: "external"}, label || value);
  }
  return String(label ?? value);
}

const KINDS = ["Paper", "Dataset", "Benchmark", "Method", "Model", "Task", "Repository", "Link"];

export function kindBadge(kind) {
  const name = KINDS.includes(kind) ? kind : "Other";
  return h("span", {class: "badge kind-" + name.toLowerCase()}, kind || "Entity");
}

/** Put <mark> around every case-insensitive occurrence of any of the words in the text. */
export function highlight(text, words) {
  const terms = [...new Set(words.filter((w) => w && w.length > 1))].sort((a, b) => b.length - a.length);
  if (!terms.length) return [text];
  const escaped = terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const parts = String(text).split(new RegExp("(" + escaped.join("|") + ")", "i"));
  return parts.map((part, i) => (i % 2 ? h("mark", {}, part) : part));
}

export function table(columns, rows, render = (value) => valueLink(value)) {
  return h("div", {class: "table-wrap"},
    h("table", {},
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", {scope: "col"}, c)))),
      h("tbody", {}, rows.map((row) => h("tr", {}, columns.map((c, i) => h("td", {}, render(row[i], c, row))))))));
}

export function section(title, ...children) {
  return h("section", {class: "card"}, h("h2", {}, title), ...children);
}

export function errorBox(error) {
  return h("div", {class: "error", role: "alert"}, String(error?.message || error));
}

export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
