// Change without fear: what a stored bundle would have done to past decisions (replay) and what a
// candidate is doing beside the live rules (shadow mode): the compliance desk's "Change" tab.
import { get, post } from './api.js';
import { h, clear, empty, field, when, badge, toast } from './dom.js';

export async function change() {
  const [bundles, shadows] = await Promise.all([get('/api/rules/bundles?limit=50'), get('/api/shadows')]);
  const pick = h('select', { id: 'impact-bundle' }, bundles.items.map(b => h('option', { value: b.version },
    `${b.version.slice(0, 12)} · ${when(b.publishedAt)} by ${b.publishedBy}${b.active ? ' (active)' : ''}`)));
  const days = h('input', { id: 'impact-days', type: 'number', min: 1, max: 90, value: 7 });
  const impact = h('div', { id: 'impact', 'aria-live': 'polite' });
  const shadowList = h('div', { id: 'shadows', 'aria-live': 'polite' });

  async function replay() {
    clear(impact, h('p', { class: 'loading' }, 'Re-deciding past decisions…'));
    try {
      const from = new Date(Date.now() - Number(days.value) * 86400000).toISOString();
      const r = await post('/api/impact', { bundleVersion: pick.value, from, samples: 20 });
      clear(impact, report(r));
    } catch (e) {
      clear(impact, h('p', { class: 'error', role: 'alert' }, e.message));
    }
  }

  async function startShadow() {
    try {
      await post('/api/shadows', { bundleVersion: pick.value });
      toast('Shadow started: every new decision is also decided by this bundle.', 'ok');
      await loadShadows();
    } catch (e) {
      toast(e.message, 'error');
    }
  }

  async function loadShadows() {
    const list = (await get('/api/shadows')).items;
    const reports = await Promise.all(list.map(s => get(`/api/shadows/${s.id}?limit=20`)));
    clear(shadowList, list.length ? h('ul', { class: 'plain' }, reports.map(r => shadowCard(r, loadShadows)))
      : empty('No shadow yet. Pick a bundle above and run it in shadow.'));
  }

  clear(shadowList, shadows.items.length ? h('p', { class: 'loading' }, 'Loading shadows…') : empty('No shadow yet.'));
  if (shadows.items.length) await loadShadows();
  return h('div', {},
    h('form', { class: 'card', id: 'impact-form', onsubmit: e => { e.preventDefault(); replay(); } },
      h('h2', {}, 'What would this bundle have done?'),
      h('div', { class: 'row' }, field('Bundle', pick), field('Days back', days)),
      h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Replay past decisions'),
        h('button', { type: 'button', id: 'start-shadow', onclick: startShadow }, 'Run it in shadow'))),
    h('div', { class: 'card' }, impact),
    h('div', { class: 'card' }, h('h2', {}, 'Shadows: what is it doing to today’s decisions?'), shadowList));
}

function report(r) {
  return [
    h('h2', {}, `${r.flipped} of ${r.replayed} decisions would flip`),
    h('p', { class: 'meta' }, `${when(r.from)} to ${when(r.to)} · ${Math.round(r.decisionsPerSecond)} decisions/s${r.limitReached ? ' · limit reached' : ''}${r.notReplayed ? ` · ${r.notReplayed} not replayed` : ''}`),
    h('ul', { class: 'plain' }, Object.entries(r.transitions).map(([t, n]) => h('li', {}, `${t.replace('->', ' → ')}: ${n}`))),
    r.samples.length ? h('table', {}, h('thead', {}, h('tr', {}, ['Decision', 'Action', 'Was → now', 'Only before', 'Only now'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, r.samples.map(f => h('tr', {}, h('td', {}, h('code', { class: 'wrap' }, f.decisionId)), h('td', {}, f.actionType),
        h('td', {}, `${f.was} → ${f.now}`), h('td', {}, f.onlyBefore.join(' ')), h('td', {}, f.onlyNow.join(' ')))))) : null,
    h('p', { class: 'meta' }, `As recorded, not re-decided: ${r.replayedAsRecorded.paused} paused, ${r.replayedAsRecorded.llmAnswers} LLM answers, ${r.replayedAsRecorded.refusedConstraints} refused caps or cooldowns.`),
  ];
}

function shadowCard(r, reload) {
  const s = r.shadow;
  const running = s.status === 'running';
  async function end(action) {
    try {
      await post(`/api/shadows/${s.id}/${action}`, action === 'promote' ? { reason: 'promoted from the console' } : undefined);
      toast(action === 'promote' ? 'Promoted: the candidate is live.' : 'Shadow dropped.', 'ok');
      await reload();
    } catch (e) {
      toast(e.message, 'error');
    }
  }
  return h('li', { class: 'card shadow', dataset: { shadow: s.id } },
    h('div', { class: 'title-row' }, h('h3', {}, s.bundleVersion ? `Bundle ${s.bundleVersion.slice(0, 12)}` : `Agent version ${s.agentVersion}`),
      badge(s.status, running ? 'ok' : null)),
    h('p', {}, `${r.evaluated} evaluated · ${(r.agreement * 100).toFixed(1)}% agree · ${r.differed} differ · `,
      r.skipped ? badge(`${r.skipped} skipped (queue full)`, 'error') : '0 skipped'),
    r.differences.length ? h('ul', {}, r.differences.map(d => h('li', {}, h('code', { class: 'wrap' }, d.decisionId),
      ` ${d.actionType}: live ${d.live}, shadow ${d.shadow}; only in shadow ${d.onlyShadow.join(' ') || '—'}`))) : null,
    running ? h('div', { class: 'buttons' },
      h('button', { type: 'button', class: 'primary', onclick: () => end('promote') }, 'Promote'),
      h('button', { type: 'button', onclick: () => end('drop') }, 'Drop')) : null);
}
