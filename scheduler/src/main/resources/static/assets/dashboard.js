// Weft dashboard: plain JavaScript, no build step. Every read and write goes through the REST API with the
// session cookie; writes carry the CSRF token from the page. Buttons a role cannot use are not drawn (the server
// refuses them anyway).
"use strict";
(function () {
  const meta = (name) => document.querySelector('meta[name="' + name + '"]').content;
  const ROLES = ["viewer", "operator", "admin"];
  const role = meta("weft-role");
  const can = (needed) => ROLES.indexOf(role) >= ROLES.indexOf(needed);
  const view = document.getElementById("view");
  let openApi = null;
  let live = false;
  // Each route() takes a number; a view whose reads finish after the user moved on draws nothing.
  let shown = 0;
  const stale = (turn) => turn !== shown;
  const FINISHED = ["DONE", "ROLLED_BACK"];

  const esc = (v) => String(v === null || v === undefined ? "–" : v)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

  // The server's clock, from each response's Date header (the rollout chart's "now"; a second's resolution).
  let serverOffset = 0;
  const serverNow = () => Date.now() + serverOffset;

  async function api(method, path, body) {
    const headers = { "Accept": "application/json" };
    if (method !== "GET") { headers[meta("csrf-header")] = meta("csrf-token"); }
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    const response = await fetch(path, { method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body) });
    const date = response.headers.get("Date");
    if (date && !Number.isNaN(Date.parse(date))) { serverOffset = Date.parse(date) - Date.now(); }
    const text = await response.text();
    const json = text ? JSON.parse(text) : {};
    if (!response.ok) { const e = new Error((json.code || response.status) + ": " + (json.detail || text)); e.problem = json; throw e; }
    return json;
  }

  async function has(pathTemplate) {
    if (!openApi) { openApi = await api("GET", "/v3/api-docs"); }
    return Object.prototype.hasOwnProperty.call(openApi.paths || {}, pathTemplate);
  }

  function bar(used, total, label) {
    const pct = total > 0 ? Math.min(100, Math.round(100 * used / total)) : 0;
    return '<div class="bar" role="meter" aria-label="' + esc(label) + '" aria-valuemin="0" aria-valuemax="' + esc(total) +
      '" aria-valuenow="' + esc(used) + '"><span style="width:' + pct + '%"></span></div><small>' + esc(used) + " / " + esc(total) + "</small>";
  }

  function problem(e) { return '<p class="error" role="alert">' + esc(e.message) + "</p>"; }

  function markCurrent() {
    document.querySelectorAll("header nav a").forEach((a) => {
      if (location.hash.startsWith(a.getAttribute("href"))) { a.setAttribute("aria-current", "page"); } else { a.removeAttribute("aria-current"); }
    });
  }

  // ---- overview --------------------------------------------------------------------------------------------
  async function overview(turn) {
    const apps = (await api("GET", "/api/v1/applications?size=500")).items;
    const agents = (await api("GET", "/api/v1/agents?size=500")).items;
    const rollouts = await has("/api/v1/applications/{app}/rollouts");
    const violations = await has("/api/v1/applications/{app}/violations");
    const byState = {};
    agents.forEach((a) => { byState[a.state] = (byState[a.state] || 0) + 1; });
    let html = "<h1>Overview</h1><section class=\"card\" aria-labelledby=\"agents-h\"><h2 id=\"agents-h\">Agents by state</h2><p>" +
      (Object.keys(byState).length === 0 ? "No agents." : Object.entries(byState).map(([s, n]) =>
        '<span class="badge state-' + esc(s) + '">' + esc(s) + " " + n + "</span>").join(" ")) + "</p></section>";
    html += '<section class="card" aria-labelledby="apps-h"><h2 id="apps-h">Applications</h2><div class="table-wrap"><table><thead><tr>' +
      "<th>application</th><th>serving versions</th><th>traffic split</th><th>rollouts in flight</th><th>violations</th></tr></thead><tbody>";
    for (const app of apps) {
      const deployments = await api("GET", "/api/v1/applications/" + encodeURIComponent(app.name) + "/deployments");
      const serving = deployments.items.map((d) => '<a href="#/plan/' + encodeURIComponent(app.name) + "/" + encodeURIComponent(d.version) + '">' +
        esc(d.version) + "</a> <span class=\"badge state-" + esc(d.state) + "\">" + esc(d.state) + "</span>").join(", ") || "none";
      const split = deployments.trafficSplit.map((w) => esc(w.version) + " " + (w.basisPoints / 100) + " %").join(", ") || "none";
      let inFlight = "n/a";
      if (rollouts) {
        const list = await api("GET", "/api/v1/applications/" + encodeURIComponent(app.name) + "/rollouts");
        const items = Array.isArray(list) ? list : (list.items || []);
        inFlight = '<a href="#/rollouts/' + encodeURIComponent(app.name) + '">' +
          items.filter((r) => !FINISHED.includes(r.state)).length + "</a>";
      }
      let count = "n/a";
      if (violations) {
        const v = await api("GET", "/api/v1/applications/" + encodeURIComponent(app.name) + "/violations");
        count = String(v.total !== undefined ? v.total : (v.items || v).length || 0);
      }
      html += "<tr><td>" + esc(app.name) + "</td><td>" + serving + "</td><td>" + split + '</td><td class="num">' + inFlight +
        '</td><td class="num">' + esc(count) + "</td></tr>";
    }
    html += "</tbody></table></div>" + (apps.length === 0 ? "<p>No applications yet.</p>" : "") + "</section>";
    if (stale(turn)) { return; }
    view.innerHTML = html;
  }

  // ---- agents ----------------------------------------------------------------------------------------------
  async function agents(turn) {
    const list = (await api("GET", "/api/v1/agents?size=500")).items;
    let html = '<h1>Agents</h1><div class="table-wrap"><table><thead><tr><th>agent</th><th>state</th><th>zone</th><th>labels</th>' +
      "<th>cpu (millicores)</th><th>memory (MiB)</th><th>last heartbeat</th><th>assignments desired / applied</th>" +
      (can("operator") ? "<th>actions</th>" : "") + "</tr></thead><tbody>";
    for (const a of list) {
      const one = await api("GET", "/api/v1/agents/" + encodeURIComponent(a.id));
      const asg = one.assignments;
      const flags = (a.cordoned ? " cordoned" : "") + (a.draining ? " draining" : "");
      html += '<tr data-agent="' + esc(a.id) + '"><td>' + esc(a.id) + '</td><td><span class="badge state-' + esc(a.state) + '">' + esc(a.state) +
        "</span>" + esc(flags) + "</td><td>" + esc(a.zone) + "</td><td>" + esc(Object.entries(a.labels).map(([k, v]) => k + "=" + v).join(", ")) +
        "</td><td>" + bar(a.usage.cpuMillis, a.capacity.cpuMillis, "cpu of " + a.id) + "</td><td>" +
        bar(a.usage.memoryMiB, a.capacity.memoryMiB, "memory of " + a.id) + "</td><td>" + esc(a.lastHeartbeatAt) + "</td><td>" +
        (asg ? esc(asg.desiredGeneration) + " / " + esc(asg.appliedGeneration) + (asg.inSync ? " ✓" : " (not in sync)") : "none") + "</td>";
      if (can("operator")) {
        html += "<td>" + (a.cordoned || a.draining
          ? '<button type="button" data-action="uncordon" data-id="' + esc(a.id) + '">Uncordon</button>'
          : '<button type="button" data-action="cordon" data-id="' + esc(a.id) + '">Cordon</button>') +
          ' <button type="button" class="danger" data-action="drain" data-id="' + esc(a.id) + '">Drain</button></td>';
      }
      html += "</tr>";
    }
    html += "</tbody></table></div>" + (list.length === 0 ? "<p>No agents.</p>" : "") + '<p id="agent-result" role="status"></p>';
    if (stale(turn)) { return; }
    view.innerHTML = html;
    view.querySelectorAll("button[data-action]").forEach((b) => b.addEventListener("click", async () => {
      const action = b.dataset.action;
      if (!window.confirm(action + " agent " + b.dataset.id + "?")) { return; }
      try {
        await api("POST", "/api/v1/agents/" + encodeURIComponent(b.dataset.id) + "/" + action);
        shown += 1;
        await agents(shown);
        document.getElementById("agent-result").textContent = action + " " + b.dataset.id + ": done";
      } catch (e) { document.getElementById("agent-result").innerHTML = problem(e); }
    }));
  }

  // ---- plan of a version -----------------------------------------------------------------------------------
  const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

  function graph(spec, plan) {
    const groupOf = {};
    (plan ? plan.groups : []).forEach((g, i) => g.components.forEach((c) => { groupOf[c] = i; }));
    const names = spec.components.map((c) => c.name);
    const size = 420;
    const r = size / 2 - 60;
    const pos = {};
    names.forEach((n, i) => {
      const t = (2 * Math.PI * i) / names.length - Math.PI / 2;
      pos[n] = [size / 2 + r * Math.cos(t), size / 2 + r * Math.sin(t)];
    });
    const maxRate = Math.max(1, ...spec.edges.map((e) => e.callsPerSecond || 0));
    let svg = '<svg viewBox="0 0 ' + size + " " + size + '" width="100%" style="max-width:' + size + 'px" role="img" aria-label="Component graph of ' +
      esc(spec.version) + ': ' + names.length + " components\">";
    for (const e of spec.edges) {
      const [x1, y1] = pos[e.caller]; const [x2, y2] = pos[e.callee];
      const cut = groupOf[e.caller] !== groupOf[e.callee];
      const w = 1 + 5 * ((e.callsPerSecond || 0) / maxRate);
      svg += '<line class="edge' + (cut ? " cut" : "") + '" x1="' + x1 + '" y1="' + y1 + '" x2="' + x2 + '" y2="' + y2 + '" stroke="' +
        (cut ? "#b3261e" : "#888") + '" stroke-width="' + w.toFixed(1) + '"' + (cut ? ' stroke-dasharray="6 4"' : "") +
        "><title>" + esc(e.caller + " → " + e.callee + ": " + (e.callsPerSecond || 0) + " calls/s" + (cut ? " (cut: remote)" : "")) + "</title></line>";
    }
    for (const n of names) {
      const g = groupOf[n];
      svg += '<g><circle class="node" cx="' + pos[n][0] + '" cy="' + pos[n][1] + '" r="14" fill="' + (g === undefined ? "#ccc" : COLOURS[g % COLOURS.length]) +
        '"><title>' + esc(n + (g === undefined ? " (unplaced)" : " in " + plan.groups[g].name)) + "</title></circle>" +
        '<text x="' + pos[n][0] + '" y="' + (pos[n][1] + 28) + '" text-anchor="middle">' + esc(n) + "</text></g>";
    }
    return svg + "</svg>";
  }

  // Dollars per hour with four decimals (plans of small applications cost cents).
  const money = (x) => (x === null || x === undefined ? "–" : "$" + Number(x).toFixed(4) + "/h");

  function costTable(score, baselines) {
    if (!score) { return "<p>No score (nothing placed).</p>"; }
    const row = (name, b) => {
      if (!b) { return "<tr><th scope=\"row\">" + esc(name) + '</th><td class="num">–</td><td class="num">–</td><td>–</td></tr>'; }
      const saved = b.costPerHour - score.costPerHour;
      const pct = b.costPerHour > 0 ? " (" + (100 * saved / b.costPerHour).toFixed(1) + " %)" : "";
      return '<tr><th scope="row">' + esc(name) + '</th><td class="num">' + money(b.costPerHour) + '</td><td class="num">' +
        (saved >= 0 ? "saves " + money(saved) : "costs " + money(-saved) + " more") + esc(pct) + "</td><td>" +
        (b.feasible ? "yes" : "no: " + esc((b.violations || []).join("; "))) + "</td></tr>";
    };
    return '<div class="table-wrap"><table id="cost"><caption>Cost per hour against both baselines</caption><thead><tr><th>grouping</th>' +
      '<th class="num">cost</th><th class="num">this plan against it</th><th>feasible</th></tr></thead><tbody>' +
      '<tr class="plan"><th scope="row">this plan</th><td class="num">' + money(score.costPerHour) + '</td><td class="num">–</td><td>yes</td></tr>' +
      row("one process per component", baselines && baselines.onePerProcess) + row("single process", baselines && baselines.singleProcess) +
      '</tbody></table></div><div class="table-wrap"><table id="score"><caption>This plan</caption><tbody><tr><th scope="row">cores</th><td class="num">' +
      esc(Number(score.cores).toFixed(2)) + '</td></tr><tr><th scope="row">memory (GiB)</th><td class="num">' + esc(Number(score.memoryGiB).toFixed(2)) +
      '</td></tr><tr><th scope="row">cores burnt by remote calls</th><td class="num">' + esc(Number(score.remoteCallCores).toFixed(3)) +
      '</td></tr><tr><th scope="row">groups</th><td class="num">' + esc(score.groups) + '</td></tr><tr><th scope="row">replicas</th><td class="num">' +
      esc(score.replicas) + "</td></tr></tbody></table></div>";
  }

  async function planView(turn, app, version) {
    const base = "/api/v1/applications/" + encodeURIComponent(app) + "/versions/" + encodeURIComponent(version);
    const spec = await api("GET", base);
    let plan = null;
    try { plan = await api("GET", base + "/plan"); } catch (e) { if (!e.problem || e.problem.code !== "PLAN_NOT_FOUND") { throw e; } }
    const history = (await api("GET", base + "/plans?size=50")).items;
    let html = "<h1>Plan of " + esc(app) + " " + esc(version) + "</h1>";
    html += '<div class="grid"><section class="card" aria-labelledby="g-h"><h2 id="g-h">Component graph</h2>' + graph(spec, plan) +
      '<p class="muted">Colour: group (process). Width: declared calls/s. Dashed red: a cut edge, called over the network.</p></section>';
    if (plan) {
      html += '<section class="card" aria-labelledby="c-h"><h2 id="c-h">Generation ' + esc(plan.generation) + " · " + esc(plan.status) + " · " + esc(plan.decision) +
        "</h2><p>" + esc(plan.decisionReason) + "</p>" + costTable(plan.score, plan.baselines) + "</section></div>";
      html += '<section class="card" aria-labelledby="gr-h"><h2 id="gr-h">Groups</h2><div class="table-wrap"><table><thead><tr><th>group</th><th>components</th>' +
        "<th>replicas</th><th>agents</th></tr></thead><tbody>" + plan.groups.map((g, i) => '<tr><td><span class="badge" style="border-color:' +
        COLOURS[i % COLOURS.length] + '">' + esc(g.name) + "</span></td><td>" + esc(g.components.join(", ")) + '</td><td class="num">' + esc(g.replicas) +
        "</td><td>" + esc(g.assignments.map((a) => a.agentId).join(", ")) + "</td></tr>").join("") + "</tbody></table></div></section>";
      html += '<section class="card" aria-labelledby="ex-h"><h2 id="ex-h">Why</h2><ul>' + plan.explanations.map((x) => "<li>" + esc(x.group) + ": together " +
        esc(x.together.length) + " edges, cut " + esc(x.cut.length) + "</li>").join("") + "</ul></section>";
    } else {
      html += '<section class="card"><p>No plan applied yet.</p></section></div>';
    }
    html += '<section class="card" aria-labelledby="h-h"><h2 id="h-h">History</h2><div class="table-wrap"><table><thead><tr><th>generation</th><th>status</th>' +
      "<th>decision</th><th>created</th></tr></thead><tbody>" + history.map((p) => "<tr><td>" + esc(p.generation) + "</td><td>" + esc(p.status) + "</td><td>" +
      esc(p.decision) + "</td><td>" + esc(p.createdAt) + "</td></tr>").join("") + "</tbody></table></div>" +
      '<form id="diff-form"><label for="diff-from">Diff from generation</label><input id="diff-from" type="number" min="1" required value="' +
      esc(history.length ? history[history.length - 1].generation : 1) + '"><label for="diff-to">to generation</label><input id="diff-to" type="number" min="1" required value="' +
      esc(history.length ? history[0].generation : 1) + '"><button type="submit">Show diff</button></form><pre id="diff-out"></pre></section>';
    if (can("operator")) {
      html += '<section class="card" aria-labelledby="w-h"><h2 id="w-h">What if</h2><form id="whatif-form"><label for="load-factor">Load factor</label>' +
        '<input id="load-factor" type="number" step="0.1" min="0.1" value="2"><label for="remove-agent">Remove agent (id, optional)</label>' +
        '<input id="remove-agent"><button type="submit">Preview (applies nothing)</button></form><pre id="whatif-out"></pre></section>';
    }
    if (stale(turn)) { return; }
    view.innerHTML = html;
    document.getElementById("diff-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const out = document.getElementById("diff-out");
      try {
        out.textContent = JSON.stringify(await api("GET", base + "/plans/" + document.getElementById("diff-from").value + "/diff/" +
          document.getElementById("diff-to").value), null, 2);
      } catch (e) { out.textContent = e.message; }
    });
    const whatIf = document.getElementById("whatif-form");
    if (whatIf) {
      whatIf.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const body = { loadFactor: Number(document.getElementById("load-factor").value) };
        const remove = document.getElementById("remove-agent").value.trim();
        if (remove) { body.removeAgents = [remove]; }
        const out = document.getElementById("whatif-out");
        try { out.textContent = JSON.stringify(await api("POST", base + "/plan/preview", body), null, 2); } catch (e) { out.textContent = e.message; }
      });
    }
  }

  // ---- rollouts --------------------------------------------------------------------------------------------
  // #/rollouts: every application with its latest rollout; #/rollouts/{app}[/{id}]: the application's rollouts and
  // one of them (the one in flight, else the newest) in detail. A redraw replaces only the parts whose HTML changed,
  // so a button under the pointer stays the same element; the hold counts down here between reads.
  const ACTION_LABEL = { pause: "Pause", resume: "Resume", promote: "Promote", abort: "Abort", rollback: "Roll back" };
  const ACTION_SAYS = {
    pause: "It stops progressing; traffic stays as it is.",
    resume: "It continues where it stopped, with the hold it had left.",
    promote: "The remaining steps are skipped: 100 % of new requests go to the new version now.",
    abort: "All new requests go back to the old version at once; the new version is drained and released.",
    rollback: "The old version, still placed, takes 100 % at once; the new version is drained and released.",
  };
  let rolloutShown = null; // { app, id } of the rollout drawn in detail
  const drawn = new WeakMap(); // element -> the HTML last drawn into it

  /** What an operator may ask of a rollout in its state (rollout/README.md, "Operator requests"). */
  function actionsFor(r) {
    switch (r.state) {
      case "PENDING": case "PLACING": return ["pause", "abort"];
      case "RAMPING": return ["pause", "promote", "abort"];
      case "PAUSED": return r.pausedFrom === "RAMPING" ? ["resume", "promote", "abort"] : ["resume", "abort"];
      case "PROMOTED": return r.rollbackOpenUntil ? ["rollback"] : [];
      default: return [];
    }
  }

  /** Seconds in a duration as the API writes it: 90s, 5m, 1h, 2d, 450ms, or ISO-8601 (PT1M30S). */
  function seconds(text) {
    if (!text) { return 0; }
    let total = 0;
    const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(text);
    if (iso) { return 86400 * (+iso[1] || 0) + 3600 * (+iso[2] || 0) + 60 * (+iso[3] || 0) + (+iso[4] || 0); }
    const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };
    text.replace(/([\d.]+)(ms|s|m|h|d)/g, (_, n, u) => { total += Number(n) * unit[u]; return ""; });
    return total;
  }

  function clockText(s) {
    s = Math.max(0, Math.round(s));
    const h = Math.floor(s / 3600); const m = Math.floor((s % 3600) / 60); const r = s % 60;
    return (h ? h + "h" : "") + (h || m ? m + "m" : "") + r + "s";
  }

  const newWeight = (r) => { const w = r.weights.find((x) => x.version === r.to); return w ? Number(w.weight) : 0; };
  const time = (t) => (t ? Date.parse(t) : NaN);
  const hhmmss = (ms) => new Date(ms).toISOString().slice(11, 19);

  /**
   * The new version's weight over time, as a step line: 0 % from the start, each step's weight from when it
   * started, the weight it has now from the last move that changed it; dashed: the steps still to come, each for its
   * hold (the current one for what is left of it).
   */
  function weightsChart(r) {
    const W = 640; const H = 220; const L = 44; const R = 12; const T = 12; const B = 34;
    const start = time(r.createdAt);
    const latest = [r.updatedAt, r.promotedAt, r.finishedAt].concat(...r.steps.map((s) => [s.startedAt, s.finishedAt]))
      .map(time).filter((t) => !Number.isNaN(t));
    const now = r.finishedAt ? time(r.finishedAt) : Math.max(serverNow(), ...latest);
    const done = []; // [t, weight]
    done.push([start, 0]);
    for (const s of r.steps) {
      if (!s.startedAt) { continue; }
      done.push([time(s.startedAt), Number(s.weight)]);
      if (s.outcome === "ABORTED" || s.outcome === "FAILED") { done.push([time(s.finishedAt) || now, 0]); }
    }
    if (r.promotedAt) { done.push([time(r.promotedAt), 100]); }
    const current = newWeight(r);
    if (done[done.length - 1][1] !== current) { done.push([Math.min(now, Math.max(done[done.length - 1][0], time(r.updatedAt) || now)), current]); }
    done.sort((a, b) => a[0] - b[0]);
    const planned = [];
    if (!FINISHED.includes(r.state) && !["PROMOTED", "ABORTING"].includes(r.state)) {
      let t = now;
      const from = r.state === "PENDING" || r.state === "PLACING" || (r.state === "PAUSED" && r.pausedFrom !== "RAMPING") ? 0 : r.step;
      planned.push([t, current]);
      for (let i = from; i < r.steps.length; i += 1) {
        const s = r.steps[i];
        if (i > from || from === 0 && !s.startedAt) { planned.push([t, Number(s.weight)]); }
        t += 1000 * (i === r.step && s.startedAt ? seconds(r.holdLeft) : seconds(s.hold));
      }
      planned.push([t, planned[planned.length - 1][1]]);
    }
    const end = Math.max(now, ...planned.map((p) => p[0]), start + 1000);
    const x = (t) => L + (W - L - R) * (t - start) / (end - start);
    const y = (w) => T + (H - T - B) * (1 - w / 100);
    // a step line: from each point, across to the next one's time, then up or down to its weight
    const path = (pts) => pts.map(([t, w], i) => (i === 0 ? "M" + x(t).toFixed(1) + " " + y(w).toFixed(1)
      : "H" + x(t).toFixed(1) + " V" + y(w).toFixed(1))).join(" ");
    const actual = done.concat([[now, done[done.length - 1][1]]]);
    let svg = '<svg id="weights-chart" viewBox="0 0 ' + W + " " + H + '" width="100%" style="max-width:' + (W * 1.4) + 'px" role="img" aria-labelledby="chart-t"><title id="chart-t">' +
      esc("Weight of " + r.to + " over time: " + done.map(([t, w]) => w + " % from " + hhmmss(t)).join(", ") +
      (planned.length ? "; still to come: " + r.steps.slice(r.step).map((s) => s.weight + " %").join(", ") : "")) + "</title>";
    for (const w of [0, 25, 50, 75, 100]) {
      svg += '<line x1="' + L + '" x2="' + (W - R) + '" y1="' + y(w) + '" y2="' + y(w) + '" stroke="#e2e5ea"/><text x="' + (L - 6) + '" y="' +
        (y(w) + 4) + '" text-anchor="end">' + w + " %</text>";
    }
    const nowAnchor = x(now) > W - R - 60 ? "end" : (x(now) < L + 60 ? "start" : "middle");
    svg += '<text x="' + L + '" y="' + (H - 10) + '">' + hhmmss(start) + '</text><text x="' + Math.min(x(now), W - R) + '" y="' + (H - 10) +
      '" text-anchor="' + nowAnchor + '">' + (r.finishedAt ? "ended " : "now ") + hhmmss(now) + "</text>";
    if (end > now + 500) { svg += '<text x="' + (W - R) + '" y="' + (H - 10) + '" text-anchor="end">' + hhmmss(end) + "</text>"; }
    svg += '<line x1="' + x(now) + '" x2="' + x(now) + '" y1="' + T + '" y2="' + (H - B) + '" stroke="#9aa3b2" stroke-dasharray="2 3"/>';
    if (planned.length) {
      svg += '<path class="planned" d="' + path(planned) + '" fill="none" stroke="#1f5fbf" stroke-opacity=".55" stroke-width="2" stroke-dasharray="6 4"/>';
    }
    svg += '<path class="actual" d="' + path(actual) + '" fill="none" stroke="#1f5fbf" stroke-width="3"/>';
    for (const [t, w] of done.slice(1)) {
      svg += '<circle cx="' + x(t).toFixed(1) + '" cy="' + y(w).toFixed(1) + '" r="3.5" fill="#1f5fbf"><title>' + esc(w + " % from " + hhmmss(t)) + "</title></circle>";
    }
    return svg + "</svg>";
  }

  const num = (v) => (v === null || v === undefined ? "–" : Number(v).toLocaleString("en-US", { maximumFractionDigits: 4 }));

  function gateTable(r, step) {
    if (!step.gates.length) { return "<p>No gate reading for this step yet.</p>"; }
    return '<div class="table-wrap"><table class="gates" data-step="' + step.index + '"><thead><tr><th>gate</th><th>bounds</th><th>verdict</th>' +
      '<th class="num">new (' + esc(r.to) + ')</th><th class="num">old (' + esc(r.from) + ')</th><th class="num">compared</th>' +
      '<th class="num">requests new / old</th><th>interval</th><th>reading</th></tr></thead><tbody>' +
      step.gates.map((g) => "<tr><td>" + esc(g.metric + (g.component ? " of " + g.component : "")) + "</td><td>" +
        esc([g.min !== null && g.min !== undefined ? "≥ " + g.min : "", g.max !== null && g.max !== undefined ? "≤ " + g.max : ""].filter(Boolean).join(", ")) +
        '</td><td><span class="badge verdict-' + esc(g.verdict) + '">' + esc(g.verdict) + '</span></td><td class="num">' + num(g.newValue) +
        '</td><td class="num">' + num(g.oldValue) + '</td><td class="num">' + num(g.value) + '</td><td class="num">' + esc(g.newRequests) + " / " +
        esc(g.oldRequests) + "</td><td>" + esc(hhmmss(time(g.from)) + "–" + hhmmss(time(g.until))) + "</td><td>" + esc(g.detail) + "</td></tr>").join("") +
      "</tbody></table></div>";
  }

  function rolloutParts(app, r, list) {
    const parts = {};
    parts["r-list"] = '<h2 id="rl-h">Rollouts of ' + esc(app) + '</h2><div class="table-wrap"><table aria-labelledby="rl-h"><thead><tr><th>id</th><th>from → to</th>' +
      "<th>state</th><th>step</th><th>started</th><th>by</th><th>finished</th></tr></thead><tbody>" + list.map((x) => '<tr data-rollout="' + esc(x.id) + '"' +
      (r && x.id === r.id ? ' aria-current="true" class="current"' : "") + '><td><a href="#/rollouts/' + encodeURIComponent(app) + "/" + x.id + '">' + esc(x.id) +
      "</a></td><td>" + esc(x.from) + " → " + esc(x.to) + '</td><td><span class="badge state-' + esc(x.state) + '">' + esc(x.state) + "</span></td><td>" +
      esc(x.step + 1) + " of " + esc(x.steps.length) + "</td><td>" + esc(x.createdAt) + "</td><td>" + esc(x.createdBy) + "</td><td>" + esc(x.finishedAt) +
      "</td></tr>").join("") + "</tbody></table></div>" + (list.length ? "" : "<p>No rollouts yet.</p>");
    if (!r) { return parts; }
    const current = r.steps[r.step];
    const running = r.state === "RAMPING";
    parts["r-head"] = '<h2 id="rd-h">Rollout ' + esc(r.id) + ": " + esc(r.from) + " → " + esc(r.to) + "</h2><dl class=\"facts\">" +
      '<dt>state</dt><dd><span id="rollout-state" class="badge state-' + esc(r.state) + '">' + esc(r.state) + "</span>" +
      (r.pausedFrom ? " (from " + esc(r.pausedFrom) + ")" : "") + "</dd><dt>step</dt><dd>" + esc(r.step + 1) + " of " + esc(r.steps.length) +
      (current ? ": " + esc(current.weight) + " % for " + esc(current.hold) : "") + "</dd><dt>traffic split</dt><dd>" +
      r.weights.map((w) => esc(w.version) + " " + esc(w.weight) + " %").join(", ") + '</dd><dt>time left in the hold</dt><dd><span id="hold-left"' +
      ' data-seconds="' + seconds(r.holdLeft) + '" data-running="' + running + '">' + esc(clockText(seconds(r.holdLeft))) + "</span>" + (running ? "" : " (not counting)") + "</dd>" +
      (r.waiting ? "<dt>waiting</dt><dd>" + esc(r.waiting) + "</dd>" : "") + (r.reason ? "<dt>reason</dt><dd>" + esc(r.reason) + "</dd>" : "") +
      (r.abortCause ? "<dt>cause</dt><dd>" + esc(r.abortCause) + "</dd>" : "") +
      (r.rollbackOpenUntil ? "<dt>rollback open until</dt><dd>" + esc(r.rollbackOpenUntil) + "</dd>" : "") +
      (r.draining ? "<dt>draining</dt><dd>" + esc(r.draining) + "</dd>" : "") + "<dt>started by</dt><dd>" + esc(r.createdBy) + "</dd></dl>";
    parts["r-actions"] = can("operator") ? actionsFor(r).map((a) => '<button type="button" data-rollout-action="' + a + '" data-app="' + esc(app) +
      '" data-id="' + esc(r.id) + '"' + (a === "abort" || a === "rollback" ? ' class="danger"' : "") + ">" + ACTION_LABEL[a] + "</button>").join(" ") : "";
    parts["r-chart"] = '<h3>Weight of ' + esc(r.to) + " over time</h3>" + weightsChart(r) +
      '<p class="muted">Solid: what the rollout did; dashed: the steps still to come, each for its hold.</p>';
    parts["r-gates"] = "<h3>Gates of step " + esc(r.step + 1) + ": " + esc(r.to) + " against " + esc(r.from) + " over the same interval</h3>" +
      (current ? gateTable(r, current) : "<p>No step.</p>");
    parts["r-steps"] = "<h3>Steps</h3><div class=\"table-wrap\"><table><thead><tr><th>step</th><th class=\"num\">weight</th><th>hold</th><th>started</th>" +
      "<th>finished</th><th>outcome</th></tr></thead><tbody>" + r.steps.map((s) => "<tr" + (s.index === r.step ? ' class="current"' : "") + "><td>" +
      esc(s.index + 1) + '</td><td class="num">' + esc(s.weight) + " %</td><td>" + esc(s.hold) + "</td><td>" + esc(s.startedAt) + "</td><td>" +
      esc(s.finishedAt) + "</td><td>" + esc(s.outcome) + "</td></tr>").join("") + "</tbody></table></div>" +
      r.steps.filter((s) => s.index !== r.step && s.gates.length).map((s) => "<details><summary>Gates of step " + esc(s.index + 1) + " (" +
        esc(s.outcome || "running") + ")</summary>" + gateTable(r, s) + "</details>").join("");
    return parts;
  }

  async function rolloutsIndex(turn) {
    const apps = (await api("GET", "/api/v1/applications?size=500")).items;
    let html = '<h1>Rollouts</h1><section class="card"><div class="table-wrap"><table><thead><tr><th>application</th><th>latest rollout</th>' +
      "<th>state</th><th>split</th></tr></thead><tbody>";
    for (const app of apps) {
      const latest = (await api("GET", "/api/v1/applications/" + encodeURIComponent(app.name) + "/rollouts?size=1")).items[0];
      html += '<tr><td><a href="#/rollouts/' + encodeURIComponent(app.name) + '">' + esc(app.name) + "</a></td><td>" +
        (latest ? esc(latest.id) + ": " + esc(latest.from) + " → " + esc(latest.to) : "none") + "</td><td>" +
        (latest ? '<span class="badge state-' + esc(latest.state) + '">' + esc(latest.state) + "</span>" : "–") + "</td><td>" +
        (latest ? latest.weights.map((w) => esc(w.version) + " " + esc(w.weight) + " %").join(", ") : "–") + "</td></tr>";
    }
    html += "</tbody></table></div>" + (apps.length ? "" : "<p>No applications yet.</p>") + "</section>";
    if (stale(turn)) { return; }
    rolloutShown = null;
    view.innerHTML = html;
  }

  /** Draws (or redraws in place) the application's rollouts and one of them. */
  async function rolloutsView(turn, app, wanted) {
    const base = "/api/v1/applications/" + encodeURIComponent(app) + "/rollouts";
    const list = (await api("GET", base + "?size=50")).items;
    const chosen = wanted ? Number(wanted) : ((list.find((x) => !FINISHED.includes(x.state)) || list[0] || {}).id);
    const r = chosen ? await api("GET", base + "/" + chosen) : null;
    if (stale(turn)) { return; }
    const parts = rolloutParts(app, r, list);
    const same = rolloutShown && rolloutShown.app === app && rolloutShown.id === (r ? r.id : null) && document.getElementById("r-list");
    if (!same) {
      view.innerHTML = "<h1>Rollouts of " + esc(app) + "</h1>" + (r ? '<div class="grid"><section class="card" id="r-head"></section>' +
        (can("operator") ? '<section class="card"><h3 id="ra-h">Actions</h3><div id="r-actions" role="group" aria-labelledby="ra-h"></div>' +
        '<p id="rollout-result" role="status"></p></section>' : "") + '</div><section class="card" id="r-chart"></section>' +
        '<section class="card" id="r-gates"></section><section class="card" id="r-steps"></section>' : "") +
        '<section class="card" id="r-list"></section>';
      rolloutShown = { app, id: r ? r.id : null };
    }
    for (const [id, html] of Object.entries(parts)) {
      const el = document.getElementById(id);
      if (el && drawn.get(el) !== html) { el.innerHTML = html; drawn.set(el, html); }
    }
    const actions = document.getElementById("r-actions");
    if (actions && !actions.innerHTML) { actions.innerHTML = can("operator") ? "<p class=\"muted\">Nothing to ask of it in this state.</p>" : ""; }
  }

  view.addEventListener("click", async (ev) => {
    const b = ev.target.closest("button[data-rollout-action]");
    if (!b) { return; }
    const action = b.dataset.rolloutAction;
    const out = document.getElementById("rollout-result");
    if (!window.confirm(ACTION_LABEL[action] + " rollout " + b.dataset.id + " of " + b.dataset.app + "? " + ACTION_SAYS[action])) { return; }
    try {
      const r = await api("POST", "/api/v1/applications/" + encodeURIComponent(b.dataset.app) + "/rollouts/" + b.dataset.id + "/" + action);
      await refresh();
      const now = document.getElementById("rollout-result");
      if (now) { now.textContent = action + " rollout " + r.id + ": " + r.state; }
    } catch (e) { if (out) { out.innerHTML = problem(e); } }
  });

  // The hold counts down between reads; at zero, and every 5 s while a rollout is in flight, the view is read again
  // (gate readings change at every move of the rollout, which records no event).
  let ticks = 0;
  setInterval(() => {
    ticks += 1;
    const hold = document.getElementById("hold-left");
    if (!hold) { return; }
    const state = document.getElementById("rollout-state");
    if (hold.dataset.running === "true") {
      const left = Number(hold.dataset.seconds) - 1;
      hold.dataset.seconds = String(Math.max(0, left));
      hold.textContent = clockText(left);
      if (left === 0) { refresh(); return; }
    }
    if (ticks % 5 === 0 && state && !FINISHED.includes(state.textContent)) { refresh(); }
  }, 1000);

  // ---- events, live ----------------------------------------------------------------------------------------
  async function events(turn, filter) {
    const app = filter.app || "";
    const kind = filter.kind || "";
    const page = await api("GET", "/api/v1/events?size=100" + (app ? "&application=" + encodeURIComponent(app) : ""));
    const rows = page.items.filter((e) => !kind || e.kind.includes(kind.toUpperCase()));
    if (stale(turn)) { return; }
    view.innerHTML = '<h1>Events</h1><form id="event-filter"><label for="f-app">Application</label><input id="f-app" value="' + esc(app) +
      '"><label for="f-kind">Kind contains</label><input id="f-kind" value="' + esc(kind) + '"><button type="submit">Filter</button></form>' +
      '<p class="muted" id="live" role="status"></p><div class="table-wrap"><table id="events"><thead><tr><th>id</th><th>at</th>' +
      "<th>actor</th><th>kind</th><th>application</th><th>message</th></tr></thead><tbody>" + rows.map((e) => '<tr data-event="' + esc(e.id) + '"><td>' +
      esc(e.id) + "</td><td>" + esc(e.occurredAt) + "</td><td>" + esc(e.actor) + "</td><td>" + esc(e.kind) + "</td><td>" + esc(e.application) + "</td><td>" +
      esc(e.message) + "</td></tr>").join("") + "</tbody></table></div>";
    document.getElementById("event-filter").addEventListener("submit", (ev) => {
      ev.preventDefault();
      location.hash = "#/events?app=" + encodeURIComponent(document.getElementById("f-app").value) + "&kind=" +
        encodeURIComponent(document.getElementById("f-kind").value);
    });
    document.getElementById("live").textContent = live ? "Live: connected" : "Live: waiting for the stream…";
  }

  // ---- routing, and live updates ----------------------------------------------------------------------------
  async function route() {
    shown += 1;
    const turn = shown;
    markCurrent();
    const hash = location.hash || "#/overview";
    const [path, query] = hash.slice(1).split("?");
    const params = Object.fromEntries(new URLSearchParams(query || ""));
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== "rollouts") { rolloutShown = null; }
    try {
      if (parts[0] === "agents") { await agents(turn); }
      else if (parts[0] === "plan" && parts.length === 3) { await planView(turn, parts[1], parts[2]); }
      else if (parts[0] === "events") { await events(turn, params); }
      else if (parts[0] === "rollouts" && parts.length >= 2) { await rolloutsView(turn, parts[1], parts[2]); }
      else if (parts[0] === "rollouts") { await rolloutsIndex(turn); }
      else { await overview(turn); }
    } catch (e) { if (!stale(turn)) { rolloutShown = null; view.innerHTML = problem(e); } }
  }

  /** Reads the view shown again (the rollouts view redraws only what changed). */
  function refresh() { return route(); }

  // One stream for the page: every event this control plane records arrives as `event: audit`; the events view
  // and the rollouts view read again when one concerns them.
  const stream = new EventSource("/events/stream");
  const setLive = (on) => { live = on; const l = document.getElementById("live"); if (l) { l.textContent = on ? "Live: connected" : "Live: reconnecting…"; } };
  stream.addEventListener("hello", () => setLive(true));
  stream.addEventListener("error", () => setLive(false));
  stream.addEventListener("audit", (message) => {
    if (location.hash.startsWith("#/events")) { route(); return; }
    if (location.hash.startsWith("#/rollouts")) {
      let data = {};
      try { data = JSON.parse(message.data); } catch (ignored) { data = {}; }
      if (!rolloutShown || data.application === rolloutShown.app) { refresh(); }
    }
  });

  window.addEventListener("hashchange", route);
  route();
})();
