// The live federation page: reads /api (the Control API through the gateway) and follows the selected run's event
// stream, re-reading the run after its events so the rounds, curves and progress update without a reload.
"use strict";

const COLORS = ["#2f6fdf", "#d9480f", "#2b8a3e", "#ae3ec9", "#e67700", "#1098ad", "#c2255c", "#5c940d"];
const TERMINAL = new Set(["completed", "failed", "stopped"]);
const $ = id => document.getElementById(id);

const state = {
  runs: [],
  runId: null,
  detail: null,
  source: null,
  live: null,
  refreshTimer: 0,
};

function emptyLive(runId) {
  return { runId, round: 0, selected: [], reported: new Map(), completedRound: 0, ended: false };
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (response.status === 401) {
    // The sign-in cookie is gone or the token changed: the page itself shows the sign-in form.
    location.assign("/");
    throw new Error("signed out");
  }
  if (!response.ok) {
    let message = response.statusText;
    try { message = (await response.json()).error || message; } catch { /* not JSON */ }
    throw new Error(message);
  }
  return response.json();
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

function svg(tag, attributes) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, String(value));
  return node;
}

const shortId = id => (id && id.length > 14 ? id.slice(0, 13) + "…" : id || "");
const format = value => (value === null || value === undefined || !isFinite(value) ? "–" : Math.abs(value) >= 1000 || (Math.abs(value) < 0.001 && value !== 0) ? value.toExponential(2) : value.toFixed(4));
const time = ms => (ms ? new Date(ms).toLocaleString() : "");

// ---- runs ------------------------------------------------------------------------------------------------------

async function loadRuns() {
  try {
    state.runs = await getJson("/api/runs");
  } catch (error) {
    showConnection("reconnecting", "runs: " + error.message);
    return;
  }
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("run");
  const running = state.runs.find(r => r.status === "running");
  const wanted = fromHash && state.runs.some(r => r.runId === fromHash) ? fromHash : (running || state.runs[0] || {}).runId || null;
  renderRuns(wanted);
  if (wanted !== state.runId) selectRun(wanted);
}

function renderRuns(selected) {
  const list = $("runs");
  list.replaceChildren(...state.runs.map(run => {
    const link = el("a", { href: "#run=" + encodeURIComponent(run.runId), "data-run-id": run.runId, "aria-current": String(run.runId === selected) },
      el("span", { class: "mono", title: run.runId }, run.runId),
      el("span", { class: "status", "data-status": run.status }, run.status),
      el("span", { class: "muted" }, `${run.completedRounds} / ${run.numServerRounds} rounds`),
      el("span", { class: "muted" }, time(run.createdUnixMs)));
    return el("li", {}, link);
  }));
  $("runs-empty").hidden = state.runs.length > 0;
}

window.addEventListener("hashchange", loadRuns);

function selectRun(runId) {
  if (state.source) { state.source.close(); state.source = null; }
  state.runId = runId;
  state.detail = null;
  state.live = emptyLive(runId);
  $("run").hidden = $("charts").hidden = !runId;
  if (!runId) { showConnection("idle", "not following a run"); return; }
  refreshRun();
  follow(runId);
}

// ---- live events -----------------------------------------------------------------------------------------------

function follow(runId) {
  const source = new EventSource("/api/runs/" + encodeURIComponent(runId) + "/events");
  state.source = source;
  source.onopen = () => showConnection("live", "live");
  source.onerror = () => {
    if (state.source !== source) return;
    // EventSource reconnects by itself and resumes after the last event id; a 401/404 closes it for good.
    showConnection(source.readyState === EventSource.CLOSED ? "idle" : "reconnecting",
      source.readyState === EventSource.CLOSED ? "stream closed" : "reconnecting…");
    if (source.readyState === EventSource.CLOSED) loadRuns();
  };
  source.onmessage = message => {
    if (state.source !== source) return;
    const event = JSON.parse(message.data);
    apply(event);
    scheduleRefresh();
    if (event.terminal) {
      source.close();
      showConnection("idle", "run ended");
      loadRuns();
    }
  };
}

function apply(event) {
  const live = state.live;
  switch (event.kind) {
    case "RoundStarted":
      Object.assign(live, { round: event.round, selected: [], reported: new Map() });
      break;
    case "TaskAssigned":
      if (event.round === live.round && event.message === "train" && event.nodeId && !live.selected.includes(event.nodeId)) live.selected.push(event.nodeId);
      break;
    case "ResultReceived":
      if (event.round === live.round) live.reported.set(event.nodeId, "reported");
      break;
    case "ResultRejected":
      if (event.round === live.round) live.reported.set(event.nodeId, "rejected");
      break;
    case "NodeMissedDeadline":
      if (event.round === live.round) live.reported.set(event.nodeId, "missed");
      break;
    case "RoundCompleted":
      live.completedRound = Math.max(live.completedRound, event.round);
      break;
    case "RunCompleted": case "RunFailed": case "RunStopped":
      live.ended = true;
      break;
  }
  renderProgress();
}

function scheduleRefresh() {
  clearTimeout(state.refreshTimer);
  state.refreshTimer = setTimeout(refreshRun, 250);
}

async function refreshRun() {
  const runId = state.runId;
  if (!runId) return;
  try {
    const detail = await getJson("/api/runs/" + encodeURIComponent(runId));
    if (state.runId !== runId) return;
    state.detail = detail;
    renderRun();
    updateListedRun(detail.summary);
  } catch (error) {
    if (state.runId !== runId) return;
    $("run-message").hidden = false;
    $("run-message").textContent = error.message;
  }
}

function updateListedRun(summary) {
  const index = state.runs.findIndex(r => r.runId === summary.runId);
  if (index >= 0) { state.runs[index] = summary; renderRuns(summary.runId); }
}

function showConnection(kind, text) {
  const badge = $("connection");
  badge.dataset.state = kind;
  badge.textContent = text;
}

// ---- rendering ---------------------------------------------------------------------------------------------------

function completedRounds() {
  const summary = state.detail ? state.detail.summary : null;
  return Math.max(summary ? summary.completedRounds : 0, state.live ? state.live.completedRound : 0);
}

function renderRun() {
  const { summary, rounds } = state.detail;
  $("run-id").textContent = summary.runId;
  const status = $("run-status");
  status.textContent = summary.status;
  status.dataset.status = summary.status;
  $("run-message").hidden = !summary.message;
  $("run-message").textContent = summary.message || "";
  $("total-rounds").textContent = summary.numServerRounds;
  const evaluated = rounds.filter(r => r.eval && r.eval.loss !== null);
  $("latest-eval-loss").textContent = evaluated.length ? format(evaluated[evaluated.length - 1].eval.loss) : "–";
  const link = $("evaluations-link");
  link.href = "/evaluator/evaluations/" + encodeURIComponent(summary.runId);
  link.textContent = link.getAttribute("href");
  $("pull-command").textContent = `zk0 run pull ${summary.runId} --out DIR`;
  renderProgress();
  renderCharts(rounds);
  renderRoundsTable(rounds);
}

function renderProgress() {
  const live = state.live;
  if (!live) return;
  $("completed-rounds").textContent = completedRounds();
  const summary = state.detail ? state.detail.summary : null;
  const active = !live.ended && (!summary || summary.status === "running" || summary.status === "pending");
  const inProgress = active && live.round > 0 && live.round > live.completedRound;
  const starting = active && summary !== null && live.round === 0;
  $("round-progress").hidden = !inProgress && !starting;
  if (starting) {
    $("round-progress-text").textContent = summary.status === "running"
      ? "Starting: waiting for the initial model and for min-train-nodes trainer nodes"
      : "Waiting for the SuperLink to start this run";
    $("round-progress-bar").style.width = "0%";
    $("round-nodes").replaceChildren();
    return;
  }
  if (!inProgress) return;
  // Nodes that reported (accepted or not) or were given up on count as done for the bar.
  const round = state.detail && state.detail.rounds.find(r => r.round === live.round);
  for (const train of round ? round.train : []) if (!live.reported.has(train.nodeId)) live.reported.set(train.nodeId, train.error ? "rejected" : "reported");
  const selected = live.selected.length ? live.selected : [...live.reported.keys()];
  const done = selected.filter(node => live.reported.has(node)).length;
  const total = Math.max(selected.length, 1);
  $("round-progress-text").textContent = done < selected.length
    ? `Round ${live.round} in progress: ${done} of ${selected.length} nodes reported`
    : `Round ${live.round}: all ${selected.length} nodes reported; aggregating and evaluating`;
  $("round-progress-bar").style.width = `${Math.round(100 * done / total)}%`;
  const bar = $("round-progress-bar-outer");
  bar.setAttribute("aria-valuenow", String(done));
  bar.setAttribute("aria-valuemax", String(selected.length));
  $("round-nodes").replaceChildren(...selected.map(node =>
    el("li", { title: node, "data-node-id": node, "data-state": live.reported.get(node) || "waiting" }, `${shortId(node)} · ${live.reported.get(node) || "training"}`)));
}

function renderCharts(rounds) {
  const evals = rounds.filter(r => r.eval);
  const series = (key, pick) => [{ label: key, points: evals.map(r => [r.round, pick(r.eval)]).filter(p => p[1] !== null && p[1] !== undefined) }];
  const total = state.detail.summary.numServerRounds;
  drawChart($("chart-eval-loss"), series("eval loss", e => e.loss), total);
  drawChart($("chart-action-error"), series("action error", e => e.metrics.action_error), total);
  drawChart($("chart-success-rate"), series("success rate", e => e.metrics.success_rate), total);

  const byNode = new Map();
  for (const round of rounds) for (const train of round.train) {
    if (train.metrics.loss === undefined) continue;
    if (!byNode.has(train.nodeId)) byNode.set(train.nodeId, []);
    byNode.get(train.nodeId).push([round.round, train.metrics.loss]);
  }
  const nodes = [...byNode.entries()].map(([node, points]) => ({ label: node, points }));
  drawChart($("chart-train-loss"), nodes, total);
  $("train-legend").replaceChildren(...nodes.map((node, i) => {
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = COLORS[i % COLORS.length];
    return el("li", { title: node.label }, swatch, shortId(node.label));
  }));
}

/** Lines with a dot per round; x is the round (1..total), y spans the values' range. */
function drawChart(target, lines, totalRounds) {
  const width = 320, height = 180, left = 44, right = 10, top = 10, bottom = 24;
  const points = lines.flatMap(l => l.points);
  target.replaceChildren();
  target.dataset.points = String(points.length);
  if (!points.length) {
    const text = svg("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty" });
    text.textContent = "no values yet";
    target.append(text);
    return;
  }
  const maxRound = Math.max(totalRounds || 1, ...points.map(p => p[0]));
  let low = Math.min(...points.map(p => p[1])), high = Math.max(...points.map(p => p[1]));
  if (low === high) { low -= Math.abs(low) * 0.1 || 1; high += Math.abs(high) * 0.1 || 1; }
  const x = round => left + (maxRound <= 1 ? 0.5 : (round - 1) / (maxRound - 1)) * (width - left - right);
  const y = value => top + (1 - (value - low) / (high - low)) * (height - top - bottom);

  target.append(svg("line", { class: "axis", x1: left, y1: height - bottom, x2: width - right, y2: height - bottom }));
  target.append(svg("line", { class: "axis", x1: left, y1: top, x2: left, y2: height - bottom }));
  for (const [value, yy] of [[high, top + 8], [low, height - bottom]]) {
    const label = svg("text", { x: left - 4, y: yy, "text-anchor": "end" });
    label.textContent = format(value);
    target.append(label);
  }
  if (maxRound <= 50)
    for (let round = 1; round <= maxRound; round++)
      target.append(svg("line", { class: "axis", x1: x(round), y1: height - bottom, x2: x(round), y2: height - bottom + 3 }));
  for (const [round, anchor] of maxRound > 1 ? [[1, "start"], [maxRound, "end"]] : [[1, "middle"]]) {
    const label = svg("text", { x: x(round), y: height - 8, "text-anchor": anchor });
    label.textContent = "round " + round;
    target.append(label);
  }
  lines.forEach((line, i) => {
    const color = COLORS[i % COLORS.length];
    const sorted = [...line.points].sort((a, b) => a[0] - b[0]);
    if (sorted.length > 1)
      target.append(svg("polyline", { points: sorted.map(p => `${x(p[0])},${y(p[1])}`).join(" "), fill: "none", stroke: color, "stroke-width": 2 }));
    for (const [round, value] of sorted) {
      const dot = svg("circle", { cx: x(round), cy: y(value), r: 3.5, fill: color, "data-round": round, "data-series": line.label });
      const title = svg("title");
      title.textContent = `${line.label}, round ${round}: ${format(value)}`;
      dot.append(title);
      target.append(dot);
    }
  });
}

function renderRoundsTable(rounds) {
  const missingTotal = round => round.missingNodes.length;
  $("rounds-table").tBodies[0].replaceChildren(...[...rounds].reverse().map(round => {
    const finished = round.finishedUnixMs > 0;
    const eval_ = round.eval || { loss: null, metrics: {} };
    return el("tr", { "data-round": round.round },
      el("td", {}, String(round.round)),
      el("td", {}, finished ? "completed" : "in progress"),
      el("td", { title: round.train.map(t => t.nodeId).join("\n") }, String(round.train.length)),
      el("td", {}, format(round.trainMetrics.loss)),
      el("td", {}, format(eval_.loss)),
      el("td", {}, format(eval_.metrics.action_error)),
      el("td", {}, format(eval_.metrics.success_rate)),
      el("td", { title: round.missingNodes.join("\n") }, String(missingTotal(round))));
  }));
}

// ---- nodes -------------------------------------------------------------------------------------------------------

async function loadNodes() {
  try {
    const nodes = await getJson("/api/nodes");
    $("nodes").replaceChildren(...nodes.map(node =>
      el("li", { title: node.nodeId, "data-online": String(node.online) }, `${shortId(node.nodeId)} · ${node.role}${node.online ? "" : " (offline)"}`)));
  } catch { /* shown by the runs' connection state */ }
}

loadRuns();
loadNodes();
// New runs and node leases have no event stream of their own; a slow poll keeps them current.
setInterval(() => { loadRuns(); loadNodes(); }, 10000);
