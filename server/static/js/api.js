// Calls to the service: canned queries through the JSON API, free SPARQL through /sparql.

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function failure(response) {
  let message = response.statusText || "request failed";
  const text = await response.text();
  try {
    message = JSON.parse(text).error || message;
  } catch {
    if (text.trim()) message = text.trim();
  }
  return new ApiError(`${message} (HTTP ${response.status})`, response.status);
}

/** Run a canned query; resolves to {columns, rows: [{col: value}], next, truncated, ...}. */
export async function canned(name, params = {}, {signal} = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(key, value);
  }
  const response = await fetch(`/api/queries/${encodeURIComponent(name)}?${query}`, {
    headers: {Accept: "application/json"}, signal,
  });
  if (!response.ok) throw await failure(response);
  return response.json();
}

export async function catalog() {
  const response = await fetch("/api/queries", {headers: {Accept: "application/json"}});
  if (!response.ok) throw await failure(response);
  return (await response.json()).queries;
}

/** POST a query to /sparql: SPARQL JSON results for SELECT/ASK, N-Triples text for CONSTRUCT/DESCRIBE. */
export async function sparql(text, {signal} = {}) {
  const started = performance.now();
  const response = await fetch("/sparql", {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Accept: "application/sparql-results+json, application/n-triples;q=0.9",
    },
    body: new URLSearchParams({query: text}),
    signal,
  });
  if (!response.ok) throw await failure(response);
  const type = response.headers.get("Content-Type") || "";
  const elapsed = performance.now() - started;
  const truncated = response.headers.get("X-Result-Truncated") === "true";
  if (type.includes("json")) return {kind: "results", data: await response.json(), elapsed, truncated};
  return {kind: "graph", text: await response.text(), elapsed, truncated};
}
