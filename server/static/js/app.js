// The page's router and search box. Every page is a path of its own (shareable links); the server
// answers the same shell for each and this module renders what the path asks for.

import {canned} from "./api.js";
import {h, clear, errorBox, entityHref, kindBadge, debounce} from "./dom.js";
import {entityPage} from "./entity.js";
import {editorPage} from "./editor.js";
import {homePage, searchPage, leaderboardPage, graphPage} from "./pages.js";

const main = document.getElementById("main");
const PAGES = new Set(["/", "/entity", "/leaderboard", "/search", "/editor", "/graph"]);

export function navigate(href) {
  history.pushState(null, "", href);
  render();
}

async function render() {
  const {pathname} = location;
  const params = new URLSearchParams(location.search);
  document.title = "papergraph";
  window.scrollTo(0, 0);
  clear(main).append(h("p", {class: "muted"}, "Loading…"));
  main.dataset.page = pathname.slice(1) || "home";
  try {
    if (pathname === "/entity") await entityPage(main, params.get("iri") || "", navigate);
    else if (pathname === "/leaderboard") await leaderboardPage(main, params.get("benchmark"));
    else if (pathname === "/search") await searchPage(main, params.get("q") || "");
    else if (pathname === "/editor") editorPage(main);
    else if (pathname === "/graph") graphPage(main, params.get("iri") || "", navigate);
    else await homePage(main);
  } catch (error) {
    clear(main).append(h("h1", {}, "Something went wrong"), errorBox(error));
  }
}

// Links to our own pages are followed without reloading.
document.addEventListener("click", (event) => {
  const link = event.target.closest?.("a[href]");
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  if (link.target || link.hasAttribute("download")) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || !PAGES.has(url.pathname)) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener("popstate", render);

// --- the search box with suggestions ----------------------------------------------------------

const input = document.getElementById("search");
const list = document.getElementById("suggestions");
let active = -1;
let controller = null;

function closeSuggestions() {
  list.hidden = true;
  input.setAttribute("aria-expanded", "false");
  active = -1;
}

function highlightActive() {
  [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === active)));
}

const suggest = debounce(async () => {
  const q = input.value.trim();
  if (q.length < 2) return closeSuggestions();
  controller?.abort();
  controller = new AbortController();
  try {
    const body = await canned("search", {q, _limit: 8}, {signal: controller.signal});
    if (input.value.trim() !== q) return;
    clear(list);
    for (const row of body.rows) {
      list.append(h("li", {role: "option", "data-href": entityHref(row.entity),
                           onmousedown: (event) => { event.preventDefault(); go(entityHref(row.entity)); }},
        kindBadge(row.kind), " ", h("span", {class: "label"}, row.label),
        row.papers ? h("span", {class: "count"}, String(row.papers)) : null));
    }
    list.append(h("li", {role: "option", class: "all", "data-href": "/search?q=" + encodeURIComponent(q),
                         onmousedown: (event) => { event.preventDefault(); go("/search?q=" + encodeURIComponent(q)); }},
      body.rows.length ? `All results for “${q}”` : `No match for “${q}”`));
    active = -1;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  } catch (error) {
    if (error.name !== "AbortError") {
      clear(list).append(h("li", {class: "all"}, errorBox(error)));
      list.hidden = false;
    }
  }
}, 200);

function go(href) {
  closeSuggestions();
  input.blur();
  navigate(href);
}

input.addEventListener("input", suggest);
input.addEventListener("blur", () => setTimeout(closeSuggestions, 150));
input.addEventListener("keydown", (event) => {
  const items = [...list.children];
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    if (list.hidden || !items.length) return;
    event.preventDefault();
    active = (active + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
    highlightActive();
  } else if (event.key === "Enter") {
    event.preventDefault();
    const chosen = items[active];
    const q = input.value.trim();
    if (chosen?.dataset.href) go(chosen.dataset.href);
    else if (q) go("/search?q=" + encodeURIComponent(q));
  } else if (event.key === "Escape") {
    closeSuggestions();
  }
});

render();
