// The example study: consent, a target-selection task, a reading task with scrolling, a typing task.
// Replace all of it with your own study; keep UserLogger.js and start it as below.
(function () {
  'use strict';
  var cfg = window.UAL_STUDY;
  var params = new URLSearchParams(location.search);
  var state = {
    participant: params.get('participant'),
    condition: params.get('condition'),
    step: params.get('step') || 'consent',
    trial: 0,
    trialStart: 0
  };
  var logger;
  var WORDS = ['harbour', 'lantern', 'meadow', 'pebble', 'thimble', 'orchard'];
  var $ = function (id) { return document.getElementById(id); };

  function assign() {
    if (state.participant && state.condition) return Promise.resolve();
    var query = state.participant ? '?participant=' + encodeURIComponent(state.participant) : '';
    return fetch('api/assignment' + query, { method: 'POST' })
      .then(function (r) { return r.json(); })
      .then(function (a) { state.participant = a.participant; state.condition = state.condition || a.condition; });
  }

  function consented() {
    try { return sessionStorage.getItem('study-consent') === state.participant; } catch (e) { return false; }
  }

  function go(step) {
    state.step = step;
    var query = new URLSearchParams({ participant: state.participant, condition: state.condition, step: step });
    history.pushState({ step: step }, '', '?' + query.toString());
    show();
  }

  function show() {
    var sections = document.querySelectorAll('.step');
    for (var i = 0; i < sections.length; i++) sections[i].hidden = sections[i].id !== state.step;
    if (state.step === 'task') nextTrial();
    if (state.step === 'reading') window.scrollTo(0, 0);
    if (state.step === 'done') finish();
  }

  // A deterministic target sequence per participant, so a session can be reconstructed from its id.
  function rng(seed) {
    return function () {
      seed = (seed + 0x6D2B79F5) | 0;
      var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function seedOf(text) {
    var h = 2166136261;
    for (var i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return h | 0;
  }

  function nextTrial() {
    $('trial-count').textContent = cfg.trials;
    $('trial-number').textContent = String(state.trial + 1);
    $('target').setAttribute('visibility', 'hidden');
    $('home').setAttribute('fill', '#8a8f98');
  }

  function targetFor(trial) {
    var random = rng(seedOf(state.participant + ':' + trial));
    var r = state.condition === cfg.conditions[0] ? 28 : 14;
    return { x: Math.round(80 + random() * 740), y: Math.round(50 + random() * 300), r: r };
  }

  function startTrial() {
    if ($('target').getAttribute('visibility') === 'visible') return;
    var t = targetFor(state.trial);
    var target = $('target');
    target.setAttribute('cx', t.x);
    target.setAttribute('cy', t.y);
    target.setAttribute('r', t.r);
    target.setAttribute('data-trial', String(state.trial + 1));
    target.setAttribute('visibility', 'visible');
    $('home').setAttribute('fill', '#c4c8ce');
    state.trialStart = performance.now();
    logger.log('trial:start', { trial: state.trial + 1, target_x: t.x, target_y: t.y, target_r: t.r });
  }

  function hitTarget(event) {
    event.stopPropagation();
    logger.log('trial:end', { trial: state.trial + 1, hit: true,
      movement_ms: Math.round(performance.now() - state.trialStart) }, event.target);
    state.trial += 1;
    if (state.trial >= cfg.trials) go('reading'); else nextTrial();
  }

  function miss(event) {
    if ($('target').getAttribute('visibility') !== 'visible' || event.target.id === 'home') return;
    logger.log('trial:miss', { trial: state.trial + 1 });
  }

  function fillArticle() {
    var article = $('article');
    var sentences = ['Pointing at a target takes longer the farther away and the smaller it is.',
      'Researchers have measured this relation since the 1950s, first with styluses, now with mice and fingers.',
      'Reading on a screen, people scroll in bursts and pause where the text asks them to think.',
      'This page is long on purpose, so that scrolling to its end is part of the task.'];
    for (var i = 0; i < 14; i++) {
      var p = document.createElement('p');
      p.textContent = (i + 1) + '. ' + sentences[i % sentences.length] + ' ' + sentences[(i + 1) % sentences.length];
      article.appendChild(p);
    }
  }

  function finish() {
    $('done-participant').textContent = state.participant;
    $('done-condition').textContent = state.condition;
    $('done-session').textContent = logger.session;
    logger.log('study:complete', { trials: cfg.trials });
    var update = function () { $('pending').textContent = String(logger.pending()); };
    logger.flush().then(update, update);
    setInterval(update, 500);
  }

  function wire() {
    $('agree').addEventListener('change', function () { $('start').disabled = !$('agree').checked; });
    $('start').addEventListener('click', function () {
      try { sessionStorage.setItem('study-consent', state.participant); } catch (e) { /* private mode */ }
      logger.grantConsent();
      logger.log('consent', { granted: true });
      go('task');
    });
    $('home').addEventListener('click', startTrial);
    $('target').addEventListener('click', hitTarget);
    $('arena').addEventListener('click', miss);
    $('reading-done').addEventListener('click', function () { go('typing'); });
    var word = WORDS[Math.abs(seedOf(state.participant)) % WORDS.length];
    $('word').textContent = word;
    $('answer').addEventListener('input', function () { $('finish').disabled = $('answer').value !== word; });
    $('finish').addEventListener('click', function () { go('done'); });
    window.addEventListener('popstate', function () {
      state.step = new URLSearchParams(location.search).get('step') || 'consent';
      show();
    });
  }

  assign().then(function () {
    logger = window.ualLogger = UserLogger.start({
      endpoint: cfg.endpoint,
      study: cfg.study,
      participant: state.participant,
      condition: state.condition,
      consent: consented() ? 'granted' : 'pending',
      // Mouse-tracking research wants every pointer event, coalesced samples included.
      pointer: { sampleMs: 0, coalesced: true }
    });
    fillArticle();
    wire();
    if (state.step !== 'consent' && !consented()) state.step = 'consent';
    history.replaceState({ step: state.step }, '', '?' + new URLSearchParams({
      participant: state.participant, condition: state.condition, step: state.step }).toString());
    show();
  });
})();
