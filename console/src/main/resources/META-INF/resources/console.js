// The research console: a study's data quality, refreshed every few seconds without a reload, and
// links to its exports. Served with the API it reads, behind the same credential.
(function () {
  'use strict';
  const REFRESH_MS = 2000;
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const state = { study: params.get('study') || 'demo', sortKey: 'participant', descending: false, data: null };
  $('study').value = state.study;

  const number = (v, digits) => (v === null || v === undefined ? '' : Number(v).toFixed(digits));
  const columns = {
    participant: (s) => s.participant,
    session_id: (s) => s.session_id,
    condition: (s) => s.condition || '',
    actions: (s) => String(s.actions),
    pointer_samples: (s) => String(s.pointer_samples),
    lost: (s) => String(s.lost),
    lost_percent: (s) => number(s.lost_percent, 2),
    skew_median_ms: (s) => number(s.skew_median_ms, 0),
    skew_worst_ms: (s) => String(s.skew_worst_ms),
    flagged_clocks: (s) => String(s.flagged_clocks),
    interval_median_ms: (s) => number(s.interval_median_ms, 1),
    interval_p95_ms: (s) => number(s.interval_p95_ms, 1),
    trials_completed: (s) => String(s.trials_completed),
    dead_letters: (s) => (s.dead_letters === null ? '' : String(s.dead_letters)),
    duplicates_dropped: (s) => (s.duplicates_dropped === null ? '' : String(s.duplicates_dropped)),
    first_seen: (s) => s.first_seen.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    last_seen: (s) => s.last_seen.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    problems: (s) => s.problems.join('; '),
  };

  function sortValue(s, key) {
    const v = key === 'problems' ? s.problems.length : s[key];
    return v === null || v === undefined ? -Infinity : v;
  }

  // The plot is redrawn when the number of completed trials changes, not on every refresh.
  async function plot(trials) {
    if (trials === state.plotted) return;
    state.plotted = trials;
    const response = await fetch('api/v1/studies/' + encodeURIComponent(state.study) + '/trajectories.svg');
    if (response.ok) $('trajectories').innerHTML = await response.text();
  }

  function render() {
    const data = state.data;
    if (!data) return;
    plot(data.session_list.reduce((sum, s) => sum + s.trials_completed, 0)).catch(() => { state.plotted = null; });
    $('updated').textContent = 'as of ' + data.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    const totals = [
      ['Participants', data.participants], ['Sessions', data.sessions], ['Actions', data.actions],
      ['Pointer samples', data.pointer_samples], ['Active participants', data.active_participants],
      ['Active sessions', data.active_sessions], ['Actions per second', number(data.actions_per_second, 1)],
      ['Duplicates dropped', data.duplicates_dropped === null ? '' : data.duplicates_dropped],
      ['Dead letters', data.dead_letters === null ? '' : data.dead_letters],
      ['Sessions with problems', data.session_list.filter((s) => s.problems.length).length],
    ];
    $('totals').replaceChildren(...totals.map(([name, value]) => {
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = name;
      dd.textContent = String(value);
      div.dataset.total = name;
      div.append(dt, dd);
      return div;
    }));
    const rows = [...data.session_list].sort((a, b) => {
      const x = sortValue(a, state.sortKey);
      const y = sortValue(b, state.sortKey);
      const order = x < y ? -1 : x > y ? 1 : 0;
      return state.descending ? -order : order;
    });
    $('sessions').tBodies[0].replaceChildren(...rows.map((s) => {
      const tr = document.createElement('tr');
      tr.dataset.session = s.session_id;
      tr.dataset.participant = s.participant;
      if (s.problems.length) tr.className = 'problem';
      for (const th of $('sessions').tHead.rows[0].cells) {
        const td = document.createElement('td');
        td.className = th.dataset.key + (th.classList.contains('n') ? ' n' : '');
        td.textContent = columns[th.dataset.key](s);
        tr.append(td);
      }
      return tr;
    }));
    for (const th of $('sessions').tHead.rows[0].cells) {
      th.classList.toggle('sorted', th.dataset.key === state.sortKey);
      th.classList.toggle('desc', th.dataset.key === state.sortKey && state.descending);
    }
  }

  function exportsLinks() {
    const base = 'api/v1/studies/' + encodeURIComponent(state.study);
    $('trajectories-link').href = base + '/trajectories.svg';
    const links = [['Whole package, CSV (zip)', base + '/export.zip'],
      ['Whole package, Parquet (zip)', base + '/export.zip?format=parquet']];
    for (const table of ['actions', 'positions', 'trials', 'measures', 'trajectories', 'trajectories_tn']) {
      links.push([table + '.csv', base + '/tables/' + table + '.csv']);
      links.push([table + '.parquet', base + '/tables/' + table + '.parquet']);
    }
    $('exports').replaceChildren(...links.map(([text, href]) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = href;
      a.textContent = text;
      li.append(a);
      return li;
    }));
  }

  // Pages: one shown at a time, chosen by the URL's fragment, so each has its own address.
  function showPage() {
    const current = (location.hash || '#quality').slice(1);
    for (const element of document.querySelectorAll('main [data-page]')) {
      element.hidden = element.dataset.page !== current;
    }
    for (const tab of document.querySelectorAll('#tabs a')) {
      tab.classList.toggle('current', tab.dataset.page === current);
    }
    if (current === 'heatmaps') heatmapChoices().catch((e) => heatmapError(String(e.message || e)));
  }

  // The heatmap form offers the pages, conditions and viewport widths the study has samples for, as of
  // when the tab was opened (finding them reads the study's clicks and samples).
  async function heatmapChoices() {
    const response = await fetch(base() + '/heatmaps', { headers: { Accept: 'application/json' } });
    const body = await response.json();
    if (!response.ok) return heatmapError(body.message || response.statusText);
    const form = $('heatmap-form');
    const fill = (name, values, describe) => {
      const select = form.elements[name];
      const chosen = select.value;
      select.replaceChildren(select.options[0]);
      for (const value of values) {
        const option = document.createElement('option');
        option.value = value;
        option.textContent = describe(value);
        select.append(option);
      }
      select.value = values.includes(chosen) ? chosen : '';
    };
    const sum = (key, field) => (value) => body.buckets.filter((b) => b[key] === value)
      .reduce((n, b) => n + b[field], 0);
    const distinct = (key) => [...new Set(body.buckets.map((b) => b[key]).filter((v) => v !== null))].sort();
    const clicks = (key) => sum(key, 'clicks');
    fill('url', distinct('url'), (v) => v + ' (' + clicks('url')(v) + ' clicks)');
    fill('condition', distinct('condition'), (v) => v + ' (' + clicks('condition')(v) + ' clicks)');
    fill('vw', distinct('vw'), (v) => v + ' px (' + clicks('vw')(v) + ' clicks)');
    drawHeatmap();
  }

  function heatmapError(message) {
    $('heatmap-error').textContent = message;
    $('heatmap-error').hidden = !message;
  }

  async function drawHeatmap() {
    const form = $('heatmap-form');
    const query = new URLSearchParams();
    for (const name of ['kind', 'url', 'condition', 'vw', 'x', 'weight', 'cell']) {
      if (form.elements[name].value) query.set(name, form.elements[name].value);
    }
    const url = base() + '/heatmap.png?' + query;
    const screenshot = form.elements.screenshot.files[0];
    const response = await fetch(url, screenshot ? { method: 'POST', body: screenshot,
      headers: { 'Content-Type': screenshot.type || 'application/octet-stream' } } : {});
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      return heatmapError(body.message || response.statusText);
    }
    heatmapError('');
    if (state.heatmapUrl) URL.revokeObjectURL(state.heatmapUrl);
    state.heatmapUrl = URL.createObjectURL(await response.blob());
    $('heatmap').src = state.heatmapUrl;
    $('heatmap').dataset.participants = response.headers.get('X-UAL-Participants');
    $('heatmap').dataset.samples = response.headers.get('X-UAL-Samples');
    $('heatmap-link').href = screenshot ? state.heatmapUrl : url;
  }

  const base = () => 'api/v1/studies/' + encodeURIComponent(state.study);

  async function refresh() {
    try {
      const response = await fetch('api/v1/studies/' + encodeURIComponent(state.study) + '/quality',
        { headers: { Accept: 'application/json' } });
      const body = await response.json();
      if (!response.ok) throw new Error(body.message || response.statusText);
      state.data = body;
      $('error').hidden = true;
      render();
    } catch (e) {
      $('error').textContent = String(e.message || e);
      $('error').hidden = false;
    } finally {
      setTimeout(refresh, REFRESH_MS);
    }
  }

  $('sessions').tHead.addEventListener('click', (event) => {
    const key = event.target.dataset && event.target.dataset.key;
    if (!key) return;
    state.descending = state.sortKey === key ? !state.descending : false;
    state.sortKey = key;
    render();
  });
  $('pick').addEventListener('submit', (event) => {
    event.preventDefault();
    state.study = $('study').value.trim() || 'demo';
    history.replaceState(null, '', '?study=' + encodeURIComponent(state.study) + location.hash);
    state.data = null;
    state.plotted = null;
    exportsLinks();
    showPage();
  });
  $('heatmap-form').addEventListener('submit', (event) => {
    event.preventDefault();
    drawHeatmap().catch((e) => heatmapError(String(e.message || e)));
  });
  window.addEventListener('hashchange', showPage);
  exportsLinks();
  showPage();
  refresh();
})();
