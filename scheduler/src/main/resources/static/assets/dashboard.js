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
  let stream = null;
  // Each route() takes a number; a view whose reads finish after the user moved on draws nothing.
  let shown = 0;
  const stale = (turn) => turn !== shown;

  const esc = (v) => String(v === null || v === undefined ? "–" : v)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

  async function api(method, path, body) {
    const headers = { "Accept": "application/json" };
    if (method !== "GET") { headers[meta("csrf-header")] = meta("csrf-token"); }
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    const response = await fetch(path, { method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body) });
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
        inFlight = String(items.filter((r) => !["DONE", "ROLLED_BACK", "ABORTED"].includes(r.state)).length);
      }
      let count = "n/a";
      if (violations) {
        const v = await api("GET", "/api/v1/applications/" + encodeURIComponent(app.name) + "/violations");
        count = String(v.total !== undefined ? v.total : (v.items || v).length || 0);
      }
      html += "<tr><td>" + esc(app.name) + "</td><td>" + serving + "</td><td>" + split + '</td><td class="num">' + esc(inFlight) +
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
        "</h2><p>" + esc(plan.decisionReason) + "</p><table><tbody><tr><th>this plan</th><td>" + esc(JSON.stringify(plan.score)) + "</td></tr>" +
        "<tr><th>baselines</th><td>" + esc(JSON.stringify(plan.baselines)) + "</td></tr></tbody></table></section></div>";
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

  // ---- events, live ----------------------------------------------------------------------------------------
  async function events(turn, filter) {
    const app = filter.app || "";
    const kind = filter.kind || "";
    const page = await api("GET", "/api/v1/events?size=100" + (app ? "&application=" + encodeURIComponent(app) : ""));
    const rows = page.items.filter((e) => !kind || e.kind.includes(kind.toUpperCase()));
    if (stale(turn)) { return; }
    view.innerHTML = '<h1>Events</h1><form id="event-filter"><label for="f-app">Application</label><input id="f-app" value="' + esc(app) +
      '"><label for="f-kind">Kind contains</label><input id="f-kind" value="' + esc(kind) + '"><button type="submit">Filter</button></form>' +
      '<p class="muted" id="live" role="status">Live: waiting for the stream…</p><div class="table-wrap"><table id="events"><thead><tr><th>id</th><th>at</th>' +
      "<th>actor</th><th>kind</th><th>application</th><th>message</th></tr></thead><tbody>" + rows.map((e) => '<tr data-event="' + esc(e.id) + '"><td>' +
      esc(e.id) + "</td><td>" + esc(e.occurredAt) + "</td><td>" + esc(e.actor) + "</td><td>" + esc(e.kind) + "</td><td>" + esc(e.application) + "</td><td>" +
      esc(e.message) + "</td></tr>").join("") + "</tbody></table></div>";
    document.getElementById("event-filter").addEventListener("submit", (ev) => {
      ev.preventDefault();
      location.hash = "#/events?app=" + encodeURIComponent(document.getElementById("f-app").value) + "&kind=" +
        encodeURIComponent(document.getElementById("f-kind").value);
    });
    if (!stream) {
      stream = new EventSource("/events/stream");
      stream.addEventListener("hello", () => { const l = document.getElementById("live"); if (l) { l.textContent = "Live: connected"; } });
      stream.addEventListener("audit", () => { if (location.hash.startsWith("#/events")) { route(); } });
    } else {
      document.getElementById("live").textContent = "Live: connected";
    }
  }

  // ---- routing ---------------------------------------------------------------------------------------------
  async function route() {
    shown += 1;
    const turn = shown;
    markCurrent();
    const hash = location.hash || "#/overview";
    const [path, query] = hash.slice(1).split("?");
    const params = Object.fromEntries(new URLSearchParams(query || ""));
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    try {
      if (parts[0] === "agents") { await agents(turn); }
      else if (parts[0] === "plan" && parts.length === 3) { await planView(turn, parts[1], parts[2]); }
      else if (parts[0] === "events") { await events(turn, params); }
      else { await overview(turn); }
    } catch (e) { if (!stale(turn)) { view.innerHTML = problem(e); } }
  }

  window.addEventListener("hashchange", route);
  route();
})();
