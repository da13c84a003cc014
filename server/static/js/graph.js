// An entity's neighbourhood drawn as a graph: a small force layout (repulsion between all nodes,
// springs along edges, a pull to the centre) animated into an SVG. Nodes are coloured by kind; a
// click opens the node's page, dragging moves it. Sized for the canned neighbourhood queries
// (at most ~1000 edges), so the O(n^2) repulsion stays cheap.

import {h, clear, local} from "./dom.js";

const COLORS = {
  Paper: "#4c6ef5", Dataset: "#2f9e44", Method: "#e8590c", Model: "#ae3ec9",
  Task: "#1098ad", Repository: "#495057", Link: "#868e96", Other: "#adb5bd",
};

/** Nodes and links from neighbourhood rows (source/target with labels, kinds and depth). */
export function graphOf(rows, centerIri) {
  const nodes = new Map();
  const links = [];
  const seen = new Set();
  const node = (iri, label, kind, depth) => {
    let n = nodes.get(iri);
    if (!n) {
      n = {id: iri, label: label || local(iri), kind: kind || "Other", depth, degree: 0};
      nodes.set(iri, n);
    }
    if (label && n.label === local(iri)) n.label = label;
    if (kind && n.kind === "Other") n.kind = kind;
    n.depth = Math.min(n.depth, depth);
    return n;
  };
  if (centerIri) node(centerIri, null, null, 0);
  for (const row of rows) {
    const depth = Number(row.depth || 1);
    const s = node(row.source, row.sourceLabel, row.sourceKind, row.source === centerIri ? 0 : depth);
    const t = node(row.target, row.targetLabel, row.targetKind, row.target === centerIri ? 0 : depth);
    const key = `${row.source} ${row.relation} ${row.target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    s.degree += 1;
    t.degree += 1;
    links.push({source: s, target: t, relation: row.relation});
  }
  if (centerIri && nodes.has(centerIri)) nodes.get(centerIri).depth = 0;
  return {nodes: [...nodes.values()], links};
}

/** Run the layout for a fixed number of ticks, calling onTick as it goes; returns a stop function. */
function simulate(graph, width, height, onTick, onDone) {
  const {nodes, links} = graph;
  const n = nodes.length;
  const cx = width / 2, cy = height / 2;
  nodes.forEach((node, i) => {  // a deterministic spiral start: same graph, same picture
    const angle = i * 2.399963, radius = 12 * Math.sqrt(i + 1);
    node.x = node.depth === 0 ? cx : cx + radius * Math.cos(angle);
    node.y = node.depth === 0 ? cy : cy + radius * Math.sin(angle);
    node.vx = 0; node.vy = 0;
  });
  const spring = Math.max(40, Math.min(120, 600 / Math.sqrt(n + 1)));
  const charge = 900 * Math.min(1, 60 / (n + 1)) + 200;
  let alpha = 1, frame = 0, stopped = false;
  const tick = () => {
    for (let i = 0; i < n; i++) {
      const a = nodes[i];
      for (let j = i + 1; j < n; j++) {
        const b = nodes[j];
        let dx = a.x - b.x, dy = a.y - b.y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 0.01) { dx = (i - j) * 0.1; dy = 0.1; d2 = dx * dx + dy * dy; }
        const force = (charge * alpha) / d2;
        a.vx += dx * force; a.vy += dy * force;
        b.vx -= dx * force; b.vy -= dy * force;
      }
    }
    for (const link of links) {
      const s = link.source, t = link.target;
      const dx = t.x - s.x, dy = t.y - s.y;
      const d = Math.sqrt(dx * dx + dy * dy) || 1;
      const pull = ((d - spring) / d) * 0.08 * alpha;
      t.vx -= dx * pull; t.vy -= dy * pull;
      s.vx += dx * pull; s.vy += dy * pull;
    }
    for (const node of nodes) {
      if (node.depth === 0 || node.fixed) { node.vx = 0; node.vy = 0; continue; }
      node.vx += (cx - node.x) * 0.01 * alpha;
      node.vy += (cy - node.y) * 0.01 * alpha;
      node.vx *= 0.6; node.vy *= 0.6;
      const step = Math.hypot(node.vx, node.vy);
      if (step > 30) { node.vx *= 30 / step; node.vy *= 30 / step; }
      node.x = Math.max(10, Math.min(width - 10, node.x + node.vx));
      node.y = Math.max(10, Math.min(height - 10, node.y + node.vy));
    }
    alpha *= 0.985;
  };
  const loop = () => {
    if (stopped) return;
    for (let k = 0; k < 4; k++) tick();
    onTick();
    frame += 1;
    if (alpha > 0.02 && frame < 200) requestAnimationFrame(loop);
    else onDone();
  };
  requestAnimationFrame(loop);
  const reheat = () => {  // after a drag: let the others settle around the moved node
    const idle = alpha <= 0.02 || frame >= 200;
    alpha = Math.max(alpha, 0.3);
    frame = 0;
    if (idle) requestAnimationFrame(loop);
  };
  return {stop: () => { stopped = true; }, reheat};
}

/** Draw the graph into container; onOpen(iri) is called when a node is clicked. */
export function drawGraph(container, rows, {center, onOpen, height = 460} = {}) {
  clear(container);
  const graph = graphOf(rows, center);
  if (graph.links.length === 0) {
    container.append(h("p", {class: "muted"}, "No relations to draw."));
    return null;
  }
  const width = Math.max(320, container.clientWidth || 800);
  const svg = h("svg", {class: "graph", viewBox: `0 0 ${width} ${height}`, width: "100%", height,
                        role: "img", "aria-label": `Graph of ${graph.nodes.length} nodes and ${graph.links.length} edges`,
                        "data-state": "running", "data-nodes": graph.nodes.length, "data-edges": graph.links.length});
  const edgeLayer = h("g", {class: "edges"});
  const nodeLayer = h("g", {class: "nodes"});
  svg.append(edgeLayer, nodeLayer);
  const showLabels = graph.nodes.length <= 40;
  for (const link of graph.links) {
    link.el = h("line", {class: "edge rel-" + link.relation}, h("title", {}, link.relation));
    edgeLayer.append(link.el);
  }
  for (const node of graph.nodes) {
    const radius = node.depth === 0 ? 11 : Math.min(9, 4 + Math.sqrt(node.degree));
    node.el = h("g", {class: "node" + (node.depth === 0 ? " center" : ""), tabindex: 0,
                      "data-iri": node.id, "data-kind": node.kind},
      h("circle", {r: radius, fill: COLORS[node.kind] || COLORS.Other}),
      h("title", {}, `${node.label} (${node.kind})`),
      (showLabels || node.depth === 0) ? h("text", {x: radius + 3, y: 4}, truncate(node.label, 36)) : null);
    nodeLayer.append(node.el);
  }
  container.append(svg, legend(graph));
  const render = () => {
    for (const link of graph.links) {
      link.el.setAttribute("x1", link.source.x.toFixed(1)); link.el.setAttribute("y1", link.source.y.toFixed(1));
      link.el.setAttribute("x2", link.target.x.toFixed(1)); link.el.setAttribute("y2", link.target.y.toFixed(1));
    }
    for (const node of graph.nodes) node.el.setAttribute("transform", `translate(${node.x.toFixed(1)},${node.y.toFixed(1)})`);
  };
  const sim = simulate(graph, width, height, render, () => svg.setAttribute("data-state", "done"));
  enableInteraction(svg, graph, width, height, sim, render, onOpen);
  return sim;
}

function enableInteraction(svg, graph, width, height, sim, render, onOpen) {
  let dragging = null, moved = false;
  const point = (event) => {
    const box = svg.getBoundingClientRect();
    return {x: ((event.clientX - box.left) / box.width) * width, y: ((event.clientY - box.top) / box.height) * height};
  };
  for (const node of graph.nodes) {
    node.el.addEventListener("pointerdown", (event) => {
      dragging = node; moved = false; node.fixed = true;
      node.el.setPointerCapture?.(event.pointerId);
    });
    node.el.addEventListener("pointermove", (event) => {
      if (dragging !== node) return;
      const p = point(event);
      if (Math.hypot(p.x - node.x, p.y - node.y) > 2) moved = true;
      node.x = p.x; node.y = p.y;
      render();
    });
    node.el.addEventListener("pointerup", () => {
      if (dragging === node && !moved && onOpen) onOpen(node.id);
      if (dragging === node && moved) sim?.reheat();
      dragging = null;
    });
    node.el.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && onOpen) onOpen(node.id);
    });
    node.el.addEventListener("mouseenter", () => {
      svg.classList.add("hovering");
      node.el.classList.add("hover");
    });
    node.el.addEventListener("mouseleave", () => {
      svg.classList.remove("hovering");
      node.el.classList.remove("hover");
    });
  }
}

function legend(graph) {
  const kinds = [...new Set(graph.nodes.map((n) => n.kind))].sort();
  return h("p", {class: "legend"}, kinds.map((kind) =>
    h("span", {class: "legend-item"}, h("span", {class: "swatch kind-" + kind.toLowerCase()}), kind)),
    h("span", {class: "muted"}, ` ${graph.nodes.length} nodes, ${graph.links.length} edges · click a node to open it, drag to move it`));
}

function truncate(text, length) {
  return text.length > length ? text.slice(0, length - 1) + "…" : text;
}
