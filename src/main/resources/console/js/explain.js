// Why a decision came out as it did: GET .../decisions/{id}/explain, loaded when the reader opens it.
import { get } from './api.js';
import { h, clear, badge } from './dom.js';

export function explainer(agentId, decisionId) {
  const body = h('div', { class: 'explain', 'aria-live': 'polite' });
  let loaded = false;
  const box = h('details', { class: 'explain-box', dataset: { decision: decisionId } },
    h('summary', {}, 'Why this decision'), body);
  box.addEventListener('toggle', async () => {
    if (!box.open || loaded) return;
    loaded = true;
    clear(body, h('p', { class: 'loading' }, 'Taking the decision apart…'));
    try {
      clear(body, view(await get(`/api/agents/${agentId}/decisions/${decisionId}/explain`)));
    } catch (e) {
      loaded = false;
      clear(body, h('p', { class: 'error', role: 'alert' }, e.message));
    }
  });
  return box;
}

function view(x) {
  const facts = x.facts || {};
  return [
    h('p', { class: 'meta' }, `Bundle ${x.bundleVersion} · agent version ${x.agentVersion} · `,
      x.reproduced ? 'reproduced exactly' : badge('not reproduced by the stored rules', 'error')),
    x.replayedAsRecorded.length ? h('p', { class: 'meta' }, 'As recorded: ', x.replayedAsRecorded.join('; ')) : null,
    h('h4', {}, 'What the rules saw'),
    h('dl', { class: 'summary' },
      h('dt', {}, 'Action'), h('dd', {}, `${facts.action.actionType}, confidence ${facts.action.confidence}`),
      facts.confidenceFloor ? [h('dt', {}, 'Confidence floor'), h('dd', {}, `${facts.confidenceFloor.value} (${facts.confidenceFloor.scope})`)] : null,
      facts.agentPolicy ? [h('dt', {}, 'Policy'), h('dd', {}, `${facts.agentPolicy.overrideMode}, risk threshold ${facts.agentPolicy.riskThreshold}, minimum confidence ${facts.agentPolicy.minConfidenceThreshold}`)] : null,
      h('dt', {}, 'Risk'), h('dd', {}, `${facts.riskScore ?? 0} = ` + (facts.riskContributions || []).map(c => `${c.points} ${c.reason}`).join(' + '))),
    h('h4', {}, 'Rules that fired, tier by tier'),
    h('dl', { class: 'fired' }, x.tiers.map(t => [h('dt', {}, t.tier), h('dd', {}, h('ul', { class: 'plain' },
      t.rules.map(r => h('li', {}, h('code', { class: 'rule' }, r.id), ' ', r.said.length ? r.said.join('; ') : (r.description || '')))))])),
    x.deciding.length ? [h('h4', {}, 'What decided it'), h('ul', {}, x.deciding.map(d => h('li', {},
      h('code', { class: 'rule' }, d.ruleId), ` ${d.reason}`, d.mandatory ? ' (mandatory)' : d.hard ? ' (hard)' : '')))] : null,
    x.toExecute.length ? [h('h4', {}, 'Nearest change to EXECUTE'), h('ul', {}, x.toExecute.map(c => h('li', {},
      c.ruleId ? [h('code', { class: 'rule' }, c.ruleId), ' '] : null, c.change ? `${c.change}: ` : '',
      c.wouldDecide ? `would give ${c.wouldDecide}; ` : '', c.note || '')))] : null,
  ];
}
